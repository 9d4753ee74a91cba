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
;; hamerly(data, d, k, xn, ct, cn, kp, centers, labels, upper, lower, s, shift, par,
;;         lo, hi, mode, dsum, dcnt, dist) -> label changes:
;;   one Hamerly assignment pass over rows lo ≤ i < hi, the JavaScript kernel's
;;   hamerlyRange (src/segment/kmeans-kernel.ts) statement for statement: mode 0
;;   assigns every row (nearest and second nearest, by dists) and adds it to the
;;   block's cluster sums dsum/dcnt; mode 1 first moves the bounds by the centre
;;   shifts (par = [m1, m2, m1j, relocated]), skips rows whose bounds hold, and
;;   moves the rows that change cluster between the sums. labels are i32, the
;;   rest f64; all arguments but d, k, kp, lo, hi, mode are byte offsets.
;; Each lane adds in the same order as the JavaScript kernel (start at cn[j],
;; add the d products in t order, then xn), with separate multiply and add, so
;; both give bit-identical results.
(module
  (import "env" "memory" (memory 1 65536 shared))
  (func $dists (export "dists") (param $x i32) (param $d i32) (param $xn f64) (param $ct i32) (param $cn i32)
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

  (func (export "hamerly") (param $data i32) (param $d i32) (param $k i32) (param $xn i32) (param $ct i32) (param $cn i32)
        (param $kp i32) (param $cen i32) (param $lab i32) (param $up i32) (param $lw i32) (param $s i32) (param $shift i32)
        (param $par i32) (param $lo i32) (param $hi i32) (param $mode i32) (param $dsum i32) (param $dcnt i32) (param $dist i32)
        (result i32)
    (local $i i32) (local $a i32) (local $x i32) (local $changed i32) (local $m1 f64) (local $m2 f64) (local $m1j i32)
    (local $reloc i32) (local $bound f64) (local $sa f64) (local $l f64) (local $u f64) (local $du f64) (local $v f64)
    (local $t i32) (local $c i32) (local $c2 i32) (local $b i32) (local $q i32) (local $d1 f64) (local $d2 f64) (local $dd f64)
    (local $p i32) (local $r i32) (local $db i32) (local $xv f64)
    (local.set $m1 (f64.load offset=0 (local.get $par)))
    (local.set $m2 (f64.load offset=8 (local.get $par)))
    (local.set $m1j (i32.trunc_f64_s (f64.load offset=16 (local.get $par))))
    (local.set $reloc (f64.ne (f64.load offset=24 (local.get $par)) (f64.const 0)))
    (local.set $db (i32.shl (local.get $d) (i32.const 3)))
    (local.set $i (local.get $lo))
    (block $done (loop $rows
      (br_if $done (i32.ge_s (local.get $i) (local.get $hi)))
      (block $next
        (local.set $a (i32.load (i32.add (local.get $lab) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $x (i32.add (local.get $data) (i32.mul (local.get $i) (local.get $db))))
        (local.set $p (i32.add (local.get $up) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $r (i32.add (local.get $lw) (i32.shl (local.get $i) (i32.const 3))))
        (if (local.get $mode) (then
          ;; upper += shift[a]; lower = relocated ? 0 : lower − (a = m1j ? m2 : m1)
          (f64.store (local.get $p) (f64.add (f64.load (local.get $p)) (f64.load (i32.add (local.get $shift) (i32.shl (local.get $a) (i32.const 3))))))
          (if (local.get $reloc) (then (local.set $l (f64.const 0)))
            (else (local.set $l (f64.sub (f64.load (local.get $r)) (select (local.get $m2) (local.get $m1) (i32.eq (local.get $a) (local.get $m1j)))))))
          (f64.store (local.get $r) (local.get $l))
          (local.set $sa (f64.load (i32.add (local.get $s) (i32.shl (local.get $a) (i32.const 3)))))
          (local.set $bound (select (local.get $sa) (local.get $l) (f64.gt (local.get $sa) (local.get $l))))
          (br_if $next (f64.le (f64.load (local.get $p)) (local.get $bound)))
          ;; the exact distance to the own centre
          (local.set $du (f64.const 0))
          (local.set $c (i32.add (local.get $cen) (i32.mul (local.get $a) (local.get $db))))
          (local.set $t (i32.const 0))
          (block $tdone (loop $tl
            (br_if $tdone (i32.ge_s (local.get $t) (local.get $db)))
            (local.set $v (f64.sub (f64.load (i32.add (local.get $x) (local.get $t))) (f64.load (i32.add (local.get $c) (local.get $t)))))
            (local.set $du (f64.add (local.get $du) (f64.mul (local.get $v) (local.get $v))))
            (local.set $t (i32.add (local.get $t) (i32.const 8)))
            (br $tl)))
          (local.set $u (f64.sqrt (local.get $du)))
          (f64.store (local.get $p) (local.get $u))
          (br_if $next (f64.le (local.get $u) (local.get $bound)))))
        ;; every centre: nearest (first on ties) and second nearest
        (call $dists (local.get $x) (local.get $d) (f64.load (i32.add (local.get $xn) (i32.shl (local.get $i) (i32.const 3))))
          (local.get $ct) (local.get $cn) (local.get $kp) (local.get $kp) (local.get $dist))
        (local.set $b (i32.const 0))
        (local.set $d1 (f64.const inf))
        (local.set $d2 (f64.const inf))
        (local.set $q (i32.const 0))
        (block $qdone (loop $ql
          (br_if $qdone (i32.ge_s (local.get $q) (local.get $k)))
          (local.set $dd (f64.load (i32.add (local.get $dist) (i32.shl (local.get $q) (i32.const 3)))))
          (if (f64.lt (local.get $dd) (f64.const 0)) (then (local.set $dd (f64.const 0))))
          (if (f64.lt (local.get $dd) (local.get $d1))
            (then (local.set $d2 (local.get $d1)) (local.set $d1 (local.get $dd)) (local.set $b (local.get $q)))
            (else (if (f64.lt (local.get $dd) (local.get $d2)) (then (local.set $d2 (local.get $dd))))))
          (local.set $q (i32.add (local.get $q) (i32.const 1)))
          (br $ql)))
        (f64.store (local.get $p) (f64.sqrt (local.get $d1)))
        (f64.store (local.get $r) (f64.sqrt (local.get $d2)))
        (if (i32.eqz (local.get $mode))
          (then
            (i32.store (i32.add (local.get $lab) (i32.shl (local.get $i) (i32.const 2))) (local.get $b))
            (local.set $c (i32.add (local.get $dsum) (i32.mul (local.get $b) (local.get $db))))
            (local.set $t (i32.const 0))
            (block $sdone (loop $sl
              (br_if $sdone (i32.ge_s (local.get $t) (local.get $db)))
              (f64.store (i32.add (local.get $c) (local.get $t)) (f64.add (f64.load (i32.add (local.get $c) (local.get $t))) (f64.load (i32.add (local.get $x) (local.get $t)))))
              (local.set $t (i32.add (local.get $t) (i32.const 8)))
              (br $sl)))
            (local.set $c (i32.add (local.get $dcnt) (i32.shl (local.get $b) (i32.const 3))))
            (f64.store (local.get $c) (f64.add (f64.load (local.get $c)) (f64.const 1))))
          (else (if (i32.ne (local.get $b) (local.get $a)) (then
            (local.set $changed (i32.add (local.get $changed) (i32.const 1)))
            (i32.store (i32.add (local.get $lab) (i32.shl (local.get $i) (i32.const 2))) (local.get $b))
            (local.set $c (i32.add (local.get $dsum) (i32.mul (local.get $a) (local.get $db))))
            (local.set $c2 (i32.add (local.get $dsum) (i32.mul (local.get $b) (local.get $db))))
            (local.set $t (i32.const 0))
            (block $mdone (loop $ml
              (br_if $mdone (i32.ge_s (local.get $t) (local.get $db)))
              (local.set $xv (f64.load (i32.add (local.get $x) (local.get $t))))
              (f64.store (i32.add (local.get $c) (local.get $t)) (f64.sub (f64.load (i32.add (local.get $c) (local.get $t))) (local.get $xv)))
              (f64.store (i32.add (local.get $c2) (local.get $t)) (f64.add (f64.load (i32.add (local.get $c2) (local.get $t))) (local.get $xv)))
              (local.set $t (i32.add (local.get $t) (i32.const 8)))
              (br $ml)))
            (local.set $c (i32.add (local.get $dcnt) (i32.shl (local.get $a) (i32.const 3))))
            (f64.store (local.get $c) (f64.sub (f64.load (local.get $c)) (f64.const 1)))
            (local.set $c (i32.add (local.get $dcnt) (i32.shl (local.get $b) (i32.const 3))))
            (f64.store (local.get $c) (f64.add (f64.load (local.get $c)) (f64.const 1))))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $rows)))
    (local.get $changed))
)
