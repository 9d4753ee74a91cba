;; Histogram kernels of custlab's histogram gradient boosting (src/models/hist-kernel.ts), WebAssembly
;; with 128-bit SIMD. Assembled into src/models/hist-wasm.ts by test/helpers/build-hist-wasm.cjs
;; (`npm run build:hist-wasm`). All pointers are byte offsets into the one (shared) memory.
;;
;; Layout: bins feature-major uint8 (feature j's bins at bins + j·n); gradient/hessian pairs as float32
;; [g, h] (8 bytes per row); a histogram is float64 [Σg, Σh, count] per bin (24 bytes), feature j's first
;; bin at hist + 8·featOff[j] (featOff: int32 array). The sums add each row's float32 gradient and hessian
;; promoted to float64, one row after the other in the node's row order (the same arithmetic as the
;; JavaScript kernel and scikit-learn's).
(module
  (import "env" "memory" (memory 1 65536 shared))

  ;; rows given: for t in 0..m-1, row = rows[t]; gradient pair gh[t] (gathered in row order)
  (func (export "histRows") (param $hist i32) (param $bins i32) (param $n i32) (param $rows i32) (param $m i32)
        (param $gh i32) (param $featOff i32) (param $j0 i32) (param $j1 i32)
    (local $j i32) (local $t i32) (local $cb i32) (local $hb i32) (local $a i32) (local $rp i32) (local $gp i32) (local $end i32)
    (local.set $j (local.get $j0))
    (block $fdone (loop $feat
      (br_if $fdone (i32.ge_s (local.get $j) (local.get $j1)))
      (local.set $cb (i32.add (local.get $bins) (i32.mul (local.get $j) (local.get $n))))
      (local.set $hb (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $featOff) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
      (local.set $rp (local.get $rows))
      (local.set $gp (local.get $gh))
      (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $m) (i32.const 2))))
      (block $rdone (loop $row
        (br_if $rdone (i32.ge_u (local.get $rp) (local.get $end)))
        (local.set $a (i32.add (local.get $hb)
          (i32.mul (i32.load8_u (i32.add (local.get $cb) (i32.load (local.get $rp)))) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gp)))))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
        (local.set $gp (i32.add (local.get $gp) (i32.const 8)))
        (br $row)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $feat)))
  )

  ;; consecutive rows r0..r0+m-1 (the root of a fit on every row): bins at bins + j·n + r0 + t, pairs gh[r0 + t]
  (func (export "histSeq") (param $hist i32) (param $bins i32) (param $n i32) (param $r0 i32) (param $m i32)
        (param $gh i32) (param $featOff i32) (param $j0 i32) (param $j1 i32)
    (local $j i32) (local $bp i32) (local $hb i32) (local $a i32) (local $gp i32) (local $end i32)
    (local.set $j (local.get $j0))
    (block $fdone (loop $feat
      (br_if $fdone (i32.ge_s (local.get $j) (local.get $j1)))
      (local.set $bp (i32.add (i32.add (local.get $bins) (i32.mul (local.get $j) (local.get $n))) (local.get $r0)))
      (local.set $end (i32.add (local.get $bp) (local.get $m)))
      (local.set $hb (i32.add (local.get $hist) (i32.shl (i32.load (i32.add (local.get $featOff) (i32.shl (local.get $j) (i32.const 2)))) (i32.const 3))))
      (local.set $gp (i32.add (local.get $gh) (i32.shl (local.get $r0) (i32.const 3))))
      (block $rdone (loop $row
        (br_if $rdone (i32.ge_u (local.get $bp) (local.get $end)))
        (local.set $a (i32.add (local.get $hb) (i32.mul (i32.load8_u (local.get $bp)) (i32.const 24))))
        (v128.store (local.get $a) (f64x2.add (v128.load (local.get $a)) (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $gp)))))
        (f64.store offset=16 (local.get $a) (f64.add (f64.load offset=16 (local.get $a)) (f64.const 1)))
        (local.set $bp (i32.add (local.get $bp) (i32.const 1)))
        (local.set $gp (i32.add (local.get $gp) (i32.const 8)))
        (br $row)))
      (local.set $j (i32.add (local.get $j) (i32.const 1)))
      (br $feat)))
  )

  ;; dst[t] = src[rows[t]] for t in t0..t1-1 (8-byte gradient pairs)
  (func (export "gather") (param $src i32) (param $rows i32) (param $t0 i32) (param $t1 i32) (param $dst i32)
    (local $rp i32) (local $end i32) (local $dp i32)
    (local.set $rp (i32.add (local.get $rows) (i32.shl (local.get $t0) (i32.const 2))))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $t1) (i32.const 2))))
    (local.set $dp (i32.add (local.get $dst) (i32.shl (local.get $t0) (i32.const 3))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $rp) (local.get $end)))
      (i64.store (local.get $dp) (i64.load (i32.add (local.get $src) (i32.shl (i32.load (local.get $rp)) (i32.const 3)))))
      (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
      (local.set $dp (i32.add (local.get $dp) (i32.const 8)))
      (br $l)))
  )
;; stable partition of m row indices at rows by one feature's local bins (col = bins + j·n): a row goes left
  ;; when its bin ≤ $bin, or when it is $missBin and $missLeft is 1; left rows stay first in order, the right ones
  ;; follow in order (through scratch). Returns the number of left rows.
  (func (export "partition") (param $col i32) (param $rows i32) (param $m i32) (param $bin i32) (param $missBin i32)
        (param $missLeft i32) (param $scratch i32) (result i32)
    (local $rp i32) (local $end i32) (local $a i32) (local $r i32) (local $i i32) (local $b i32) (local $left i32)
    (local.set $rp (local.get $rows))
    (local.set $a (local.get $rows))
    (local.set $r (local.get $scratch))
    (local.set $end (i32.add (local.get $rows) (i32.shl (local.get $m) (i32.const 2))))
    (block $done (loop $l
      (br_if $done (i32.ge_u (local.get $rp) (local.get $end)))
      (local.set $i (i32.load (local.get $rp)))
      (local.set $b (i32.load8_u (i32.add (local.get $col) (local.get $i))))
      (local.set $left (i32.or (i32.le_u (local.get $b) (local.get $bin))
        (i32.and (i32.eq (local.get $b) (local.get $missBin)) (local.get $missLeft))))
      (i32.store (local.get $a) (local.get $i))
      (i32.store (local.get $r) (local.get $i))
      (local.set $a (i32.add (local.get $a) (i32.shl (local.get $left) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.shl (i32.xor (local.get $left) (i32.const 1)) (i32.const 2))))
      (local.set $rp (i32.add (local.get $rp) (i32.const 4)))
      (br $l)))
    (memory.copy (local.get $a) (local.get $scratch) (i32.sub (local.get $r) (local.get $scratch)))
    (i32.shr_u (i32.sub (local.get $a) (local.get $rows)) (i32.const 2))
  )
)
