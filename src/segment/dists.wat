;; custlab k-means distance kernel (WebAssembly SIMD, f64x2), assembled into
;; src/segment/dists-wasm.ts by `npm run build:wasm` (test/helpers/build-wasm.cjs).
;;
;; dists(x, d, xn, ct, cn, count, stride, out):
;;   out[j] = cn[j] + Σ_t (−2·x[t])·ct[t·stride + j] + xn   for j < count (count even)
;; x, ct, cn, out are byte offsets into the shared memory (rows of doubles).
;;
;; potentials(data, d, xn, closest, lo, hi, cc, cnc, ntp, pot):
;;   for rows lo ≤ i < hi and candidate columns c < ntp (ntp even):
;;   pot[c] += min(max(dist(i, c), 0), closest[i]) with dist as in dists
;;   (k-means++ local trials; the JavaScript kernel's `a < ci ? max(a, 0) : ci`).
;;
;; nearest(data, d, xn, closest, idx, lo, hi, cc, cnc, ntp, b, c):
;;   the chosen candidate b: m = max(dist(i, b), 0); where m < closest[i],
;;   closest[i] = m and idx[i] = c (i32).
;; Each lane adds in the same order as the JavaScript kernel (start at cn[j],
;; add the d products in t order, then xn), with separate multiply and add, so
;; both give bit-identical results.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func (export "dists") (param $x i32) (param $d i32) (param $xn f64) (param $ct i32) (param $cn i32)
        (param $count i32) (param $stride i32) (param $out i32)
    (local $j i32) (local $t i32) (local $p i32) (local $xv v128) (local $xnv v128)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $sb i32)
    (local.set $xnv (f64x2.splat (local.get $xn)))
    (local.set $sb (i32.shl (local.get $stride) (i32.const 3)))
    (local.set $j (i32.const 0))
    ;; blocks of 8 columns: four f64x2 accumulators
    (block $done8
      (loop $blk8
        (br_if $done8 (i32.gt_s (i32.add (local.get $j) (i32.const 8)) (local.get $count)))
        (local.set $p (i32.add (local.get $cn) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $a0 (v128.load offset=0 (local.get $p)))
        (local.set $a1 (v128.load offset=16 (local.get $p)))
        (local.set $a2 (v128.load offset=32 (local.get $p)))
        (local.set $a3 (v128.load offset=48 (local.get $p)))
        (local.set $p (i32.add (local.get $ct) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $t (i32.const 0))
        (block $tdone (loop $tl
          (br_if $tdone (i32.ge_s (local.get $t) (local.get $d)))
          (local.set $xv (f64x2.splat (f64.mul (f64.const -2) (f64.load (i32.add (local.get $x) (i32.shl (local.get $t) (i32.const 3)))))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $xv) (v128.load offset=0 (local.get $p)))))
          (local.set $a1 (f64x2.add (local.get $a1) (f64x2.mul (local.get $xv) (v128.load offset=16 (local.get $p)))))
          (local.set $a2 (f64x2.add (local.get $a2) (f64x2.mul (local.get $xv) (v128.load offset=32 (local.get $p)))))
          (local.set $a3 (f64x2.add (local.get $a3) (f64x2.mul (local.get $xv) (v128.load offset=48 (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (local.get $sb)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tl)))
        (local.set $p (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $p) (f64x2.add (local.get $a0) (local.get $xnv)))
        (v128.store offset=16 (local.get $p) (f64x2.add (local.get $a1) (local.get $xnv)))
        (v128.store offset=32 (local.get $p) (f64x2.add (local.get $a2) (local.get $xnv)))
        (v128.store offset=48 (local.get $p) (f64x2.add (local.get $a3) (local.get $xnv)))
        (local.set $j (i32.add (local.get $j) (i32.const 8)))
        (br $blk8)))
    ;; remaining pairs
    (block $done2
      (loop $blk2
        (br_if $done2 (i32.ge_s (local.get $j) (local.get $count)))
        (local.set $a0 (v128.load (i32.add (local.get $cn) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $p (i32.add (local.get $ct) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $t (i32.const 0))
        (block $tdone2 (loop $tl2
          (br_if $tdone2 (i32.ge_s (local.get $t) (local.get $d)))
          (local.set $xv (f64x2.splat (f64.mul (f64.const -2) (f64.load (i32.add (local.get $x) (i32.shl (local.get $t) (i32.const 3)))))))
          (local.set $a0 (f64x2.add (local.get $a0) (f64x2.mul (local.get $xv) (v128.load (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (local.get $sb)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tl2)))
        (v128.store (i32.add (local.get $out) (i32.shl (local.get $j) (i32.const 3))) (f64x2.add (local.get $a0) (local.get $xnv)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $blk2)))
  )
  (func (export "potentials") (param $data i32) (param $d i32) (param $xnp i32) (param $closest i32) (param $lo i32) (param $hi i32)
        (param $cc i32) (param $cnc i32) (param $ntp i32) (param $pot i32)
    (local $i i32) (local $x i32) (local $j i32) (local $t i32) (local $p i32) (local $sb i32)
    (local $xv v128) (local $xnv v128) (local $ci v128) (local $a v128)
    (local.set $sb (i32.shl (local.get $ntp) (i32.const 3)))
    (local.set $i (local.get $lo))
    (block $rdone (loop $rows
      (br_if $rdone (i32.ge_s (local.get $i) (local.get $hi)))
      (local.set $x (i32.add (local.get $data) (i32.shl (i32.mul (local.get $i) (local.get $d)) (i32.const 3))))
      (local.set $xnv (f64x2.splat (f64.load (i32.add (local.get $xnp) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $ci (f64x2.splat (f64.load (i32.add (local.get $closest) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $j (i32.const 0))
      (block $cdone (loop $cols
        (br_if $cdone (i32.ge_s (local.get $j) (local.get $ntp)))
        (local.set $a (v128.load (i32.add (local.get $cnc) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $p (i32.add (local.get $cc) (i32.shl (local.get $j) (i32.const 3))))
        (local.set $t (i32.const 0))
        (block $tdone (loop $tl
          (br_if $tdone (i32.ge_s (local.get $t) (local.get $d)))
          (local.set $xv (f64x2.splat (f64.mul (f64.const -2) (f64.load (i32.add (local.get $x) (i32.shl (local.get $t) (i32.const 3)))))))
          (local.set $a (f64x2.add (local.get $a) (f64x2.mul (local.get $xv) (v128.load (local.get $p)))))
          (local.set $p (i32.add (local.get $p) (local.get $sb)))
          (local.set $t (i32.add (local.get $t) (i32.const 1)))
          (br $tl)))
        (local.set $a (f64x2.add (local.get $a) (local.get $xnv)))
        (local.set $a (f64x2.min (f64x2.max (local.get $a) (f64x2.splat (f64.const 0))) (local.get $ci)))
        (local.set $p (i32.add (local.get $pot) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store (local.get $p) (f64x2.add (v128.load (local.get $p)) (local.get $a)))
        (local.set $j (i32.add (local.get $j) (i32.const 2)))
        (br $cols)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
  )
  (func (export "nearest") (param $data i32) (param $d i32) (param $xnp i32) (param $closest i32) (param $idx i32)
        (param $lo i32) (param $hi i32) (param $cc i32) (param $cnc i32) (param $ntp i32) (param $b i32) (param $c i32)
    (local $i i32) (local $x i32) (local $t i32) (local $p i32) (local $sb i32) (local $pair i32)
    (local $a v128) (local $m f64) (local $cp i32)
    (local.set $sb (i32.shl (local.get $ntp) (i32.const 3)))
    (local.set $pair (i32.shl (i32.and (local.get $b) (i32.const -2)) (i32.const 3)))
    (local.set $i (local.get $lo))
    (block $rdone (loop $rows
      (br_if $rdone (i32.ge_s (local.get $i) (local.get $hi)))
      (local.set $x (i32.add (local.get $data) (i32.shl (i32.mul (local.get $i) (local.get $d)) (i32.const 3))))
      (local.set $a (v128.load (i32.add (local.get $cnc) (local.get $pair))))
      (local.set $p (i32.add (local.get $cc) (local.get $pair)))
      (local.set $t (i32.const 0))
      (block $tdone (loop $tl
        (br_if $tdone (i32.ge_s (local.get $t) (local.get $d)))
        (local.set $a (f64x2.add (local.get $a) (f64x2.mul
          (f64x2.splat (f64.mul (f64.const -2) (f64.load (i32.add (local.get $x) (i32.shl (local.get $t) (i32.const 3))))))
          (v128.load (local.get $p)))))
        (local.set $p (i32.add (local.get $p) (local.get $sb)))
        (local.set $t (i32.add (local.get $t) (i32.const 1)))
        (br $tl)))
      (local.set $a (f64x2.add (local.get $a) (f64x2.splat (f64.load (i32.add (local.get $xnp) (i32.shl (local.get $i) (i32.const 3)))))))
      (local.set $m (if (result f64) (i32.and (local.get $b) (i32.const 1))
        (then (f64x2.extract_lane 1 (local.get $a))) (else (f64x2.extract_lane 0 (local.get $a)))))
      (if (f64.lt (local.get $m) (f64.const 0)) (then (local.set $m (f64.const 0))))
      (local.set $cp (i32.add (local.get $closest) (i32.shl (local.get $i) (i32.const 3))))
      (if (f64.lt (local.get $m) (f64.load (local.get $cp)))
        (then
          (f64.store (local.get $cp) (local.get $m))
          (i32.store (i32.add (local.get $idx) (i32.shl (local.get $i) (i32.const 2))) (local.get $c))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
  )
)
