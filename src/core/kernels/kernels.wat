;; The inner loops of the Gamma-Gamma, BG/NBD and Pareto/NBD likelihoods, as WebAssembly.
;;
;; A first fit runs in an engine that has not yet compiled the script to machine code: each
;; row of each evaluation is interpreted, and every intermediate double is a fresh heap
;; object. These loops, compiled here ahead of time, run at machine speed from the first
;; call and allocate nothing. src/core/kernels/scriptKernels.ts computes the same things in
;; the same order of operations and is used where WebAssembly is not available. It takes
;; Math.log, Math.exp and Math.log1p where this module has its own ($log, $exp, $log1p below:
;; importing the script's would cost a compiled wrapper at the first fit), so the two agree to
;; about an ulp, not to the bit. The bytes in wasmBytes.ts are this file assembled by
;; `npm run kernels` (scripts/assembleKernels.mjs); a test checks that they match.
;;
;; Arrays are passed as byte offsets into the module's memory: f64 arrays 8-byte aligned,
;; i32 arrays 4-byte aligned.
(module
  (memory (export "memory") 1)

  ;; ln x, exact to about an ulp (test/core/kernels.test.ts measures it against Math.log):
  ;; x = 2^k m with m in (√½, √2], f = m − 1, s = f/(2+f), and ln m = 2 atanh s = f − s (f − R)
  ;; with R = Σ 2 s^(2j)/(2j+1) to j = 10 (|s| < 0.172, so the next term is below 1e-18 of f),
  ;; its odd and even j summed apart (two short chains of multiplications instead of one long one).
  ;; k ln 2 is added as k·ln2_hi (exact) + k·ln2_lo. NaN and x < 0: NaN; 0: −∞; +∞: +∞.
  (func $log (export "log") (param $x f64) (result f64)
    (local $bits i64) (local $k i32) (local $m f64) (local $f f64) (local $s f64) (local $z f64) (local $w f64) (local $dk f64)
    (if (i32.eqz (f64.gt (local.get $x) (f64.const 0)))
      (then (return (if (result f64) (f64.eq (local.get $x) (f64.const 0)) (then (f64.const -inf)) (else (f64.const nan))))))
    (if (f64.eq (local.get $x) (f64.const inf)) (then (return (local.get $x))))
    (local.set $k (i32.const -1023))
    (if (f64.lt (local.get $x) (f64.const 0x1p-1022)) ;; subnormal: scale into the normal range first
      (then
        (local.set $x (f64.mul (local.get $x) (f64.const 0x1p54)))
        (local.set $k (i32.const -1077))))
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $k (i32.add (local.get $k) (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 52)))))
    (local.set $bits (i64.and (local.get $bits) (i64.const 0x000fffffffffffff)))
    (if (i64.gt_u (local.get $bits) (i64.const 0x6a09e667f3bcd)) ;; m > √2: halve it
      (then
        (local.set $m (f64.reinterpret_i64 (i64.or (local.get $bits) (i64.const 0x3fe0000000000000))))
        (local.set $k (i32.add (local.get $k) (i32.const 1))))
      (else (local.set $m (f64.reinterpret_i64 (i64.or (local.get $bits) (i64.const 0x3ff0000000000000))))))
    (local.set $f (f64.sub (local.get $m) (f64.const 1)))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (f64.add
      (f64.mul (local.get $dk) (f64.const 0.6931467056274414))
      (f64.sub (local.get $f)
        (f64.sub
          (f64.mul (local.get $s) (f64.sub (local.get $f) (f64.mul (local.get $z) (f64.add (f64.add (f64.const 0.6666666666666666) (f64.mul (local.get $w) (f64.add (f64.const 0.2857142857142857) (f64.mul (local.get $w) (f64.add (f64.const 0.18181818181818182) (f64.mul (local.get $w) (f64.add (f64.const 0.13333333333333333) (f64.mul (local.get $w) (f64.const 0.10526315789473684))))))))) (f64.mul (local.get $z) (f64.add (f64.const 0.4) (f64.mul (local.get $w) (f64.add (f64.const 0.2222222222222222) (f64.mul (local.get $w) (f64.add (f64.const 0.15384615384615385) (f64.mul (local.get $w) (f64.add (f64.const 0.11764705882352941) (f64.mul (local.get $w) (f64.const 0.09523809523809523))))))))))))))
          (f64.mul (local.get $dk) (f64.const 4.7493250390316726e-07))))))

  ;; e^x, exact to about an ulp: x = k ln 2 + r with |r| ≤ ½ ln 2 (r from ln2_hi and ln2_lo as in
  ;; $log), e^r by its Taylor series to r¹⁴/14! (next term below 4e-18), times 2^k in one or two
  ;; exact steps. NaN: NaN; above ln(max double): +∞; below ln(least subnormal) − ½ ln 2: 0.
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $k i32) (local $dk f64) (local $r f64) (local $y f64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (if (f64.gt (local.get $x) (f64.const 709.782712893384)) (then (return (f64.const inf))))
    (if (f64.lt (local.get $x) (f64.const -745.1332191019412)) (then (return (f64.const 0))))
    (local.set $dk (f64.nearest (f64.mul (local.get $x) (f64.const 1.4426950408889634))))
    (local.set $k (i32.trunc_f64_s (local.get $dk)))
    (local.set $r (f64.sub (f64.sub (local.get $x) (f64.mul (local.get $dk) (f64.const 0.6931467056274414))) (f64.mul (local.get $dk) (f64.const 4.7493250390316726e-07))))
    (local.set $y (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 1.0)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.5)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.3333333333333333)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.25)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.2)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.16666666666666666)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.14285714285714285)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.125)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.1111111111111111)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.1)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.09090909090909091)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.08333333333333333)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.07692307692307693)) (f64.add (f64.const 1) (f64.mul (f64.mul (local.get $r) (f64.const 0.07142857142857142)) (f64.const 1))))))))))))))))))))))))))))))
    (if (i32.lt_s (local.get $k) (i32.const -1021))
      (then (return (f64.mul
        (f64.mul (local.get $y) (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $k) (i32.const 2023))) (i64.const 52))))
        (f64.const 0x1p-1000)))))
    (if (i32.gt_s (local.get $k) (i32.const 1023))
      (then (return (f64.mul
        (f64.mul (local.get $y) (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $k) (i32.const 1022))) (i64.const 52))))
        (f64.const 2)))))
    (f64.mul (local.get $y) (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $k) (i32.const 1023))) (i64.const 52)))))

  ;; ln(1 + x) for x > −1 (+∞ too) to a few ulps: with u = 1 + x rounded, ln u · x/(u − 1) corrects the
  ;; rounding of u (Goldberg 1991, "What every computer scientist should know about
  ;; floating-point arithmetic", theorem 4); x when u rounds to 1.
  (func $log1p (export "log1p") (param $x f64) (result f64)
    (local $u f64)
    (if (f64.eq (local.get $x) (f64.const inf)) (then (return (local.get $x))))
    (local.set $u (f64.add (f64.const 1) (local.get $x)))
    (if (result f64) (f64.eq (local.get $u) (f64.const 1))
      (then (local.get $x))
      (else (f64.div (f64.mul (call $log (local.get $u)) (local.get $x)) (f64.sub (local.get $u) (f64.const 1))))))

  ;; Gamma-Gamma: for each group k of rows start[k] … start[k+1] − 1, with b = gamma + mx[i],
  ;; out[3k] = Σ w ln b, out[3k+1] = Σ w/b, out[3k+2] = Σ w/b². With weight < 0 every w is 1
  ;; (then u = 1/b and the last sum adds u·u; otherwise u = w/b and it adds u/b).
  (func $spendSums (export "spendSums") (param $mx i32) (param $weight i32) (param $start i32) (param $groups i32) (param $gamma f64) (param $out i32)
    (local $k i32) (local $i i32) (local $end i32) (local $at i32)
    (local $lb f64) (local $inv f64) (local $inv2 f64) (local $b f64) (local $u f64) (local $w f64)
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.ge_s (local.get $k) (local.get $groups)))
        (local.set $i (i32.load (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $end (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))))
        (local.set $lb (f64.const 0))
        (local.set $inv (f64.const 0))
        (local.set $inv2 (f64.const 0))
        (block $rowsDone
          (loop $row
            (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $end)))
            (local.set $at (i32.shl (local.get $i) (i32.const 3)))
            (local.set $b (f64.add (local.get $gamma) (f64.load (i32.add (local.get $mx) (local.get $at)))))
            (if (i32.lt_s (local.get $weight) (i32.const 0))
              (then
                (local.set $u (f64.div (f64.const 1) (local.get $b)))
                (local.set $lb (f64.add (local.get $lb) (call $log (local.get $b))))
                (local.set $inv (f64.add (local.get $inv) (local.get $u)))
                (local.set $inv2 (f64.add (local.get $inv2) (f64.mul (local.get $u) (local.get $u)))))
              (else
                (local.set $w (f64.load (i32.add (local.get $weight) (local.get $at))))
                (local.set $u (f64.div (local.get $w) (local.get $b)))
                (local.set $lb (f64.add (local.get $lb) (f64.mul (local.get $w) (call $log (local.get $b)))))
                (local.set $inv (f64.add (local.get $inv) (local.get $u)))
                (local.set $inv2 (f64.add (local.get $inv2) (f64.div (local.get $u) (local.get $b))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $row)))
        (local.set $at (i32.add (local.get $out) (i32.mul (local.get $k) (i32.const 24))))
        (f64.store (local.get $at) (local.get $lb))
        (f64.store offset=8 (local.get $at) (local.get $inv))
        (f64.store offset=16 (local.get $at) (local.get $inv2))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $group))))

  ;; The distinct values of column[0 … n−1], in order of first appearance, into values, and for
  ;; each row the number of its value among them into index; returns how many there are. slots
  ;; (size of them, a power of two at least twice as many as there are values) is the hash table. As scriptKernels.ts's distinct:
  ;; the same hash of the value's two 32-bit words, so the same order.
  (func (export "distinct") (param $column i32) (param $n i32) (param $values i32) (param $index i32) (param $slots i32) (param $size i32) (result i32)
    (local $i i32) (local $count i32) (local $mask i32) (local $v f64) (local $bits i64) (local $h i32) (local $slot i32) (local $at i32)
    (local.set $mask (i32.sub (local.get $size) (i32.const 1)))
    (block $filled
      (loop $fill
        (br_if $filled (i32.ge_s (local.get $i) (local.get $size)))
        (i32.store (i32.add (local.get $slots) (i32.shl (local.get $i) (i32.const 2))) (i32.const -1))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $fill)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $row
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $v (f64.load (i32.add (local.get $column) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $bits (i64.reinterpret_f64 (local.get $v)))
        (local.set $h (i32.mul (i32.xor (i32.wrap_i64 (local.get $bits)) (i32.const 0x9e3779b9)) (i32.const 0xcc9e2d51)))
        (local.set $h (i32.mul
          (i32.xor (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 15))) (i32.wrap_i64 (i64.shr_u (local.get $bits) (i64.const 32))))
          (i32.const 0x85ebca6b)))
        (local.set $h (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 13))))
        (local.set $slot (i32.and (i32.xor (local.get $h) (i32.shr_u (local.get $h) (i32.const 16))) (local.get $mask)))
        (block $placed
          (loop $probe
            (local.set $at (i32.load (i32.add (local.get $slots) (i32.shl (local.get $slot) (i32.const 2)))))
            (if (i32.eq (local.get $at) (i32.const -1))
              (then
                (i32.store (i32.add (local.get $slots) (i32.shl (local.get $slot) (i32.const 2))) (local.get $count))
                (f64.store (i32.add (local.get $values) (i32.shl (local.get $count) (i32.const 3))) (local.get $v))
                (i32.store (i32.add (local.get $index) (i32.shl (local.get $i) (i32.const 2))) (local.get $count))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (br $placed)))
            (if (f64.eq (f64.load (i32.add (local.get $values) (i32.shl (local.get $at) (i32.const 3)))) (local.get $v))
              (then
                (i32.store (i32.add (local.get $index) (i32.shl (local.get $i) (i32.const 2))) (local.get $at))
                (br $placed)))
            (local.set $slot (i32.and (i32.add (local.get $slot) (i32.const 1)) (local.get $mask)))
            (br $probe)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
    (local.get $count))

  ;; Gamma-Gamma's rows, grouped: row i (mean spend m[i], weight[i]) is in group group[i] of n
  ;; groups with frequencies xs. Sorts the rows by group (counting them into start[0 … groups],
  ;; then placing each), writing m·x into mx and the weights into w in group order, and per
  ;; group k into sums[4k … 4k+3]: Σ w, Σ w ln m, Σ w (ln m)², Σ w m. Returns 1 when every
  ;; weight is 1.
  (func (export "spendPrepare") (param $m i32) (param $weight i32) (param $group i32) (param $n i32) (param $groups i32) (param $xs i32)
    (param $start i32) (param $mx i32) (param $w i32) (param $sums i32) (result i32)
    (local $i i32) (local $at i32) (local $g i32) (local $unit i32) (local $mi f64) (local $wi f64) (local $lm f64) (local $s i32)
    (local.set $unit (i32.const 1))
    (call $countSort (local.get $group) (local.get $n) (local.get $groups) (local.get $start))
    ;; place each row after those of its group already placed (start[g] counts them up, then is set back)
    (block $placed
      (loop $place
        (br_if $placed (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $g (i32.load (i32.add (local.get $group) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $at (i32.add (local.get $start) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $s (i32.shl (i32.load (local.get $at)) (i32.const 3)))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $mi (f64.load (i32.add (local.get $m) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $wi (f64.load (i32.add (local.get $weight) (i32.shl (local.get $i) (i32.const 3)))))
        (if (f64.ne (local.get $wi) (f64.const 1)) (then (local.set $unit (i32.const 0))))
        (local.set $lm (call $log (local.get $mi)))
        (f64.store (i32.add (local.get $mx) (local.get $s)) (f64.mul (local.get $mi) (f64.load (i32.add (local.get $xs) (i32.shl (local.get $g) (i32.const 3))))))
        (f64.store (i32.add (local.get $w) (local.get $s)) (local.get $wi))
        (local.set $at (i32.add (local.get $sums) (i32.shl (local.get $g) (i32.const 5))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $wi)))
        (f64.store offset=8 (local.get $at) (f64.add (f64.load offset=8 (local.get $at)) (f64.mul (local.get $wi) (local.get $lm))))
        (f64.store offset=16 (local.get $at) (f64.add (f64.load offset=16 (local.get $at)) (f64.mul (f64.mul (local.get $wi) (local.get $lm)) (local.get $lm))))
        (f64.store offset=24 (local.get $at) (f64.add (f64.load offset=24 (local.get $at)) (f64.mul (local.get $wi) (local.get $mi))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $place)))
    (call $countSortDone (local.get $groups) (local.get $start))
    (local.get $unit))

  ;; BG/NBD's rows, grouped: row i (weight[i], frequency[i], T[i]) has frequency number xIndex[i]
  ;; of `groups`, T number tIndex[i] and t_x number txIndex[i]. Sorts the rows by frequency
  ;; (start[0 … groups] as in spendPrepare), writing in group order their weights into w and
  ;; their T and t_x numbers into jT and jTx; sums per distinct T into weightT (Σ w) and
  ;; weightXT (Σ w x), per group into groupWeight (Σ w), and into totals[0], totals[1] Σ w T and
  ;; Σ w x. Every output comes in zeroed.
  (func (export "bgnbdPrepare")
    (param $weight i32) (param $frequency i32) (param $T i32) (param $xIndex i32) (param $tIndex i32) (param $txIndex i32) (param $n i32) (param $groups i32)
    (param $start i32) (param $w i32) (param $jT i32) (param $jTx i32) (param $weightT i32) (param $weightXT i32) (param $groupWeight i32) (param $totals i32)
    (local $i i32) (local $g i32) (local $j i32) (local $at i32) (local $pos i32) (local $wi f64) (local $xi f64)
    (call $countSort (local.get $xIndex) (local.get $n) (local.get $groups) (local.get $start))
    (block $placed
      (loop $place
        (br_if $placed (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $g (i32.load (i32.add (local.get $xIndex) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $at (i32.add (local.get $start) (i32.shl (local.get $g) (i32.const 2))))
        (local.set $pos (i32.load (local.get $at)))
        (i32.store (local.get $at) (i32.add (local.get $pos) (i32.const 1)))
        (local.set $wi (f64.load (i32.add (local.get $weight) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $xi (f64.load (i32.add (local.get $frequency) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $j (i32.load (i32.add (local.get $tIndex) (i32.shl (local.get $i) (i32.const 2)))))
        (f64.store (i32.add (local.get $w) (i32.shl (local.get $pos) (i32.const 3))) (local.get $wi))
        (i32.store (i32.add (local.get $jT) (i32.shl (local.get $pos) (i32.const 2))) (local.get $j))
        (i32.store (i32.add (local.get $jTx) (i32.shl (local.get $pos) (i32.const 2))) (i32.load (i32.add (local.get $txIndex) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $at (i32.add (local.get $weightT) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $wi)))
        (local.set $at (i32.add (local.get $weightXT) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (f64.mul (local.get $wi) (local.get $xi))))
        (local.set $at (i32.add (local.get $groupWeight) (i32.shl (local.get $g) (i32.const 3))))
        (f64.store (local.get $at) (f64.add (f64.load (local.get $at)) (local.get $wi)))
        (f64.store (local.get $totals) (f64.add (f64.load (local.get $totals)) (f64.mul (local.get $wi) (f64.load (i32.add (local.get $T) (i32.shl (local.get $i) (i32.const 3)))))))
        (f64.store offset=8 (local.get $totals) (f64.add (f64.load offset=8 (local.get $totals)) (f64.mul (local.get $wi) (local.get $xi))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $place)))
    (call $countSortDone (local.get $groups) (local.get $start)))

  ;; The first half of a counting sort of n rows into `groups` by group[i]: start[g] becomes the
  ;; first place of group g (start comes in zeroed). Placing a row counts start[g] up by one;
  ;; $countSortDone then sets start[0 … groups] back to the groups' first places and the end.
  (func $countSort (param $group i32) (param $n i32) (param $groups i32) (param $start i32)
    (local $i i32) (local $k i32) (local $at i32)
    (block $counted
      (loop $count
        (br_if $counted (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $start) (i32.shl (i32.add (i32.load (i32.add (local.get $group) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 1)) (i32.const 2))))
        (i32.store (local.get $at) (i32.add (i32.load (local.get $at)) (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $count)))
    (block $summed
      (loop $sum
        (br_if $summed (i32.ge_s (local.get $k) (local.get $groups)))
        (local.set $at (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2))))
        (i32.store offset=4 (local.get $at) (i32.add (i32.load offset=4 (local.get $at)) (i32.load (local.get $at))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $sum))))

  ;; See $countSort: after placing, start[g] holds group g's end, the next group's start.
  (func $countSortDone (param $groups i32) (param $start i32)
    (local $k i32) (local $at i32)
    (local.set $k (local.get $groups))
    (block $shifted
      (loop $shift
        (br_if $shifted (i32.le_s (local.get $k) (i32.const 0)))
        (local.set $at (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2))))
        (i32.store (local.get $at) (i32.load (i32.sub (local.get $at) (i32.const 4))))
        (local.set $k (i32.sub (local.get $k) (i32.const 1)))
        (br $shift)))
    (i32.store (local.get $start) (i32.const 0)))

    ;; Gamma-Gamma: the whole log-likelihood, its gradient in (p, q, γ) and its Hessian, as
  ;; src/core/purchase/gammaGamma.ts describes them, into out[0 … 9]: value; ∂p, ∂q, ∂γ; then
  ;; pp, pq, pγ, qq, qγ, γγ. The rows come grouped by spendPrepare (weight < 0: every weight 1);
  ;; slopeP = Σ w x (ln m + ln x) and constant = Σ w ln m. args (2·groups+1 doubles), family
  ;; (three times as many) and sums (3·groups) are work space.
  (func $spendTerms (export "spendTerms")
    (param $p f64) (param $q f64) (param $gamma f64) (param $total f64) (param $slopeP f64) (param $constant f64)
    (param $groups i32) (param $xs i32) (param $groupWeight i32) (param $start i32) (param $mx i32) (param $weight i32)
    (param $args i32) (param $family i32) (param $sums i32) (param $out i32)
    (local $k i32) (local $x f64) (local $w f64) (local $px f64) (local $lb f64) (local $inv f64) (local $psiPxq f64) (local $tri f64) (local $logGammaParam f64) (local $at i32)
    (local $value f64) (local $dp f64) (local $dq f64) (local $dg f64) (local $hpp f64) (local $hpq f64) (local $hpg f64) (local $hqq f64) (local $hqg f64) (local $hgg f64)
    (block $argsDone
      (loop $arg
        (br_if $argsDone (i32.ge_s (local.get $k) (local.get $groups)))
        (local.set $px (f64.mul (local.get $p) (f64.load offset=0 (i32.add (local.get $xs) (i32.shl (local.get $k) (i32.const 3))))))
        (local.set $at (i32.add (local.get $args) (i32.shl (local.get $k) (i32.const 4))))
        (f64.store (local.get $at) (f64.add (local.get $px) (local.get $q)))
        (f64.store offset=8 (local.get $at) (local.get $px))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $arg)))
    (f64.store (i32.add (local.get $args) (i32.shl (local.get $groups) (i32.const 4))) (local.get $q))
    (call $gammaFamily (local.get $args) (i32.add (i32.shl (local.get $groups) (i32.const 1)) (i32.const 1)) (local.get $family))
    (call $spendSums (local.get $mx) (local.get $weight) (local.get $start) (local.get $groups) (local.get $gamma) (local.get $sums))
    (local.set $logGammaParam (call $log (local.get $gamma)))
    (local.set $at (i32.add (local.get $family) (i32.mul (local.get $groups) (i32.const 48))))
    (local.set $value (f64.add (f64.sub (f64.mul (local.get $p) (local.get $slopeP)) (local.get $constant)) (f64.mul (local.get $total) (f64.sub (f64.mul (local.get $q) (local.get $logGammaParam)) (f64.load (local.get $at))))))
    (local.set $dp (local.get $slopeP))
    (local.set $dq (f64.mul (local.get $total) (f64.sub (local.get $logGammaParam) (f64.load offset=8 (local.get $at)))))
    (local.set $dg (f64.div (f64.mul (local.get $total) (local.get $q)) (local.get $gamma)))
    (local.set $hqq (f64.mul (f64.neg (local.get $total)) (f64.load offset=16 (local.get $at))))
    (local.set $hqg (f64.div (local.get $total) (local.get $gamma)))
    (local.set $hgg (f64.div (f64.mul (f64.neg (local.get $total)) (local.get $q)) (f64.mul (local.get $gamma) (local.get $gamma))))
    (local.set $k (i32.const 0))
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.ge_s (local.get $k) (local.get $groups)))
        (local.set $lb (f64.load offset=0 (i32.add (local.get $sums) (i32.mul (local.get $k) (i32.const 24)))))
        (local.set $inv (f64.load offset=8 (i32.add (local.get $sums) (i32.mul (local.get $k) (i32.const 24)))))
        (local.set $x (f64.load offset=0 (i32.add (local.get $xs) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $w (f64.load offset=0 (i32.add (local.get $groupWeight) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $px (f64.mul (local.get $p) (local.get $x)))
        (local.set $psiPxq (f64.load offset=8 (i32.add (local.get $family) (i32.mul (local.get $k) (i32.const 48)))))
        (local.set $value (f64.add (local.get $value) (f64.sub (f64.mul (local.get $w) (f64.sub (f64.load offset=0 (i32.add (local.get $family) (i32.mul (local.get $k) (i32.const 48)))) (f64.load offset=24 (i32.add (local.get $family) (i32.mul (local.get $k) (i32.const 48)))))) (f64.mul (f64.add (local.get $px) (local.get $q)) (local.get $lb)))))
        (local.set $dp (f64.add (local.get $dp) (f64.mul (local.get $x) (f64.sub (f64.mul (local.get $w) (f64.sub (local.get $psiPxq) (f64.load offset=32 (i32.add (local.get $family) (i32.mul (local.get $k) (i32.const 48)))))) (local.get $lb)))))
        (local.set $dq (f64.add (local.get $dq) (f64.sub (f64.mul (local.get $w) (local.get $psiPxq)) (local.get $lb))))
        (local.set $dg (f64.sub (local.get $dg) (f64.mul (f64.add (local.get $px) (local.get $q)) (local.get $inv))))
        (local.set $tri (f64.load offset=16 (i32.add (local.get $family) (i32.mul (local.get $k) (i32.const 48)))))
        (local.set $hpp (f64.add (local.get $hpp) (f64.mul (f64.mul (f64.mul (local.get $w) (local.get $x)) (local.get $x)) (f64.sub (local.get $tri) (f64.load offset=40 (i32.add (local.get $family) (i32.mul (local.get $k) (i32.const 48))))))))
        (local.set $hpq (f64.add (local.get $hpq) (f64.mul (f64.mul (local.get $w) (local.get $x)) (local.get $tri))))
        (local.set $hpg (f64.sub (local.get $hpg) (f64.mul (local.get $x) (local.get $inv))))
        (local.set $hqq (f64.add (local.get $hqq) (f64.mul (local.get $w) (local.get $tri))))
        (local.set $hqg (f64.sub (local.get $hqg) (local.get $inv)))
        (local.set $hgg (f64.add (local.get $hgg) (f64.mul (f64.add (local.get $px) (local.get $q)) (f64.load offset=16 (i32.add (local.get $sums) (i32.mul (local.get $k) (i32.const 24)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $group)))
    (f64.store offset=0 (local.get $out) (local.get $value))
    (f64.store offset=8 (local.get $out) (local.get $dp))
    (f64.store offset=16 (local.get $out) (local.get $dq))
    (f64.store offset=24 (local.get $out) (local.get $dg))
    (f64.store offset=32 (local.get $out) (local.get $hpp))
    (f64.store offset=40 (local.get $out) (local.get $hpq))
    (f64.store offset=48 (local.get $out) (local.get $hpg))
    (f64.store offset=56 (local.get $out) (local.get $hqq))
    (f64.store offset=64 (local.get $out) (local.get $hqg))
    (f64.store offset=72 (local.get $out) (local.get $hgg)))

  ;; Gamma-Gamma's totals and moment start, as scriptKernels.ts's spendMoments (see there), from
  ;; spendPrepare's sums per group: groupWeight[k] = Σ w of group k; out[0 … 4] = Σ w ln m,
  ;; Σ w x (ln m + ln x), then the start p, q, γ.
  (func (export "spendMoments") (param $xs i32) (param $groupSums i32) (param $groups i32) (param $total f64) (param $groupWeight i32) (param $out i32)
    (local $k i32) (local $at i32) (local $w f64) (local $x f64) (local $sum f64) (local $variance f64) (local $du f64)
    (local $constant f64) (local $slopeP f64) (local $mean f64) (local $c f64) (local $cu f64) (local $cv f64) (local $uBar f64) (local $vBar f64)
    (local $suu f64) (local $suv f64) (local $sumLog f64) (local $sumHalf f64) (local $slope f64) (local $intercept f64) (local $p f64) (local $q f64) (local $gamma f64)
    (block $totalled
      (loop $totals
        (br_if $totalled (i32.ge_s (local.get $k) (local.get $groups)))
        (local.set $at (i32.add (local.get $groupSums) (i32.shl (local.get $k) (i32.const 5))))
        (local.set $w (f64.load (local.get $at)))
        (local.set $sum (f64.load offset=8 (local.get $at)))
        (local.set $x (f64.load (i32.add (local.get $xs) (i32.shl (local.get $k) (i32.const 3)))))
        (f64.store (i32.add (local.get $groupWeight) (i32.shl (local.get $k) (i32.const 3))) (local.get $w))
        (local.set $constant (f64.add (local.get $constant) (local.get $sum)))
        (local.set $slopeP (f64.add (local.get $slopeP) (f64.mul (local.get $x) (f64.add (local.get $sum) (f64.mul (local.get $w) (call $log (local.get $x)))))))
        (local.set $mean (f64.add (local.get $mean) (f64.load offset=24 (local.get $at))))
        ;; the variance of ln m within each x with two customers or more, weighted by its degrees of freedom, against 1/x
        (if (f64.ge (local.get $w) (f64.const 2))
          (then
            (local.set $variance (f64.div (f64.sub (f64.load offset=16 (local.get $at)) (f64.div (f64.mul (local.get $sum) (local.get $sum)) (local.get $w))) (f64.sub (local.get $w) (f64.const 1))))
            (local.set $c (f64.add (local.get $c) (f64.sub (local.get $w) (f64.const 1))))
            (local.set $cu (f64.add (local.get $cu) (f64.div (f64.sub (local.get $w) (f64.const 1)) (local.get $x))))
            (local.set $cv (f64.add (local.get $cv) (f64.mul (f64.sub (local.get $w) (f64.const 1)) (local.get $variance))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $totals)))
    (local.set $mean (f64.div (local.get $mean) (local.get $total)))
    (local.set $uBar (f64.div (local.get $cu) (local.get $c)))
    (local.set $vBar (f64.div (local.get $cv) (local.get $c)))
    (local.set $k (i32.const 0))
    (block $regressed
      (loop $regress
        (br_if $regressed (i32.ge_s (local.get $k) (local.get $groups)))
        (local.set $at (i32.add (local.get $groupSums) (i32.shl (local.get $k) (i32.const 5))))
        (local.set $w (f64.load (local.get $at)))
        (local.set $sum (f64.load offset=8 (local.get $at)))
        (local.set $x (f64.load (i32.add (local.get $xs) (i32.shl (local.get $k) (i32.const 3)))))
        (local.set $sumLog (f64.add (local.get $sumLog) (local.get $sum)))
        (local.set $sumHalf (f64.add (local.get $sumHalf) (f64.div (local.get $w) (f64.mul (f64.const 2) (local.get $x)))))
        (if (f64.ge (local.get $w) (f64.const 2))
          (then
            (local.set $du (f64.sub (f64.div (f64.const 1) (local.get $x)) (local.get $uBar)))
            (local.set $variance (f64.div (f64.sub (f64.load offset=16 (local.get $at)) (f64.div (f64.mul (local.get $sum) (local.get $sum)) (local.get $w))) (f64.sub (local.get $w) (f64.const 1))))
            (local.set $suu (f64.add (local.get $suu) (f64.mul (f64.mul (f64.sub (local.get $w) (f64.const 1)) (local.get $du)) (local.get $du))))
            (local.set $suv (f64.add (local.get $suv) (f64.mul (f64.mul (f64.sub (local.get $w) (f64.const 1)) (local.get $du)) (f64.sub (local.get $variance) (local.get $vBar)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $regress)))
    (local.set $slope (f64.div (local.get $suv) (local.get $suu)))
    (local.set $intercept (f64.sub (local.get $vBar) (f64.mul (local.get $slope) (local.get $uBar))))
    (f64.store (local.get $out) (local.get $constant))
    (f64.store offset=8 (local.get $out) (local.get $slopeP))
    ;; where the moments give nothing sensible: p = 1, q = 2, pγ/(q − 1) at the mean
    (f64.store offset=16 (local.get $out) (f64.const 1))
    (f64.store offset=24 (local.get $out) (f64.const 2))
    (f64.store offset=32 (local.get $out) (local.get $mean))
    (if (i32.and (f64.gt (local.get $slope) (f64.const 0)) (f64.gt (local.get $intercept) (f64.const 0)))
      (then
        (local.set $p (f64.div (f64.const 1) (local.get $slope)))
        (local.set $q (f64.add (f64.div (f64.const 1) (local.get $intercept)) (f64.const 0.5)))
        (local.set $gamma (call $exp
          (f64.sub
            (f64.add
              (f64.add
                (f64.sub (f64.div (local.get $sumLog) (local.get $total)) (call $log (local.get $p)))
                (f64.div (local.get $sumHalf) (f64.mul (local.get $p) (local.get $total))))
              (call $log (local.get $q)))
            (f64.div (f64.const 1) (f64.mul (f64.const 2) (local.get $q))))))
        (if (i32.and
              (i32.and (i32.and (f64.gt (local.get $p) (f64.const 1e-3)) (f64.lt (local.get $p) (f64.const 1e3)))
                       (i32.and (f64.gt (local.get $q) (f64.const 1e-3)) (f64.lt (local.get $q) (f64.const 1e3))))
              (i32.and (f64.gt (local.get $gamma) (f64.const 0)) (f64.lt (local.get $gamma) (f64.const inf))))
          (then
            (f64.store offset=16 (local.get $out) (local.get $p))
            (f64.store offset=24 (local.get $out) (local.get $q))
            (f64.store offset=32 (local.get $out) (local.get $gamma)))))))

  ;; Gamma-Gamma's fit, whole: Newton's method as src/core/fitting/minimize.ts's minimizeNewton
  ;; runs it on the objective fitMaximumLikelihood (src/core/fitting/maximumLikelihood.ts) makes
  ;; of the likelihood, step for step and in the same order of operations: the negated
  ;; log-likelihood per customer (× scale) in φ = ln θ, its gradient and Hessian in φ, steps by
  ;; $newtonDirection, capped at 3, backtracked (Armijo, or within the value's rounding a
  ;; shrinking gradient) at most 30 times, polished once converged. On a first fit the script
  ;; version of that loop, compiled on its first call and interpreted, cost more than the
  ;; likelihood itself. phi holds the start (ln θ) and on return the end; work (86 doubles) gets
  ;; at work[0 … 24] the point there: the objective, its gradient and Hessian in φ, θ, and the
  ;; log-likelihood's Hessian in θ; then the standard errors at work[25 … 27]. Returns the Newton iterations taken to converge, or −1 where
  ;; the script must take over: a start outside the domain, or no convergence within
  ;; maxIterations (minimizeNewton then goes on by BFGS). polish = +∞: no polishing.
  (func (export "spendFit")
    (param $phi i32) (param $work i32) (param $scale f64) (param $tolerance f64) (param $polish f64) (param $maxIterations i32)
    (param $total f64) (param $slopeP f64) (param $constant f64)
    (param $groups i32) (param $xs i32) (param $groupWeight i32) (param $start i32) (param $mx i32) (param $weight i32)
    (param $args i32) (param $family i32) (param $sums i32) (param $out i32)
    (result i32)
    (local $cur i32) (local $next i32) (local $swap i32) (local $at i32) (local $d i32) (local $i i32) (local $iteration i32)
    (local $trial i32) (local $trials i32) (local $accepted i32) (local $converged i32)
    (local $value f64) (local $bound f64) (local $steepest f64) (local $slope f64) (local $longest f64) (local $t f64) (local $rounding f64) (local $v f64)
    (local.set $cur (local.get $work))
    (local.set $next (i32.add (local.get $work) (i32.const 200)))
    (local.set $at (i32.add (local.get $work) (i32.const 400)))
    (local.set $d (i32.add (local.get $work) (i32.const 424)))
    (if (i32.eqz (call $spendPoint (local.get $phi) (local.get $cur) (local.get $scale) (local.get $total) (local.get $slopeP) (local.get $constant)
          (local.get $groups) (local.get $xs) (local.get $groupWeight) (local.get $start) (local.get $mx) (local.get $weight) (local.get $args) (local.get $family) (local.get $sums) (local.get $out)))
      (then (return (i32.const -1))))
    (block $stop
      (loop $iterate
        (br_if $stop (i32.ge_s (local.get $iteration) (local.get $maxIterations)))
        (local.set $value (f64.load (local.get $cur)))
        (local.set $bound (f64.max (f64.const 1) (f64.abs (local.get $value))))
        (local.set $steepest (call $maxAbs (i32.add (local.get $cur) (i32.const 8)) (i32.const 3)))
        (local.set $converged (f64.le (local.get $steepest) (f64.mul (local.get $tolerance) (local.get $bound))))
        (if (i32.and (local.get $converged) (f64.le (local.get $steepest) (f64.mul (local.get $polish) (local.get $bound))))
          (then (br $stop)))
        (call $newtonDirection (i32.add (local.get $cur) (i32.const 32)) (i32.add (local.get $cur) (i32.const 8)) (local.get $d) (i32.add (local.get $work) (i32.const 448)) (i32.const 3))
        (local.set $slope (call $dot (local.get $d) (i32.add (local.get $cur) (i32.const 8)) (i32.const 3)))
        (br_if $stop (i32.eqz (f64.lt (local.get $slope) (f64.const 0))))
        (local.set $longest (call $maxAbs (local.get $d) (i32.const 3)))
        (local.set $t (if (result f64) (f64.gt (local.get $longest) (f64.const 3)) (then (f64.div (f64.const 3) (local.get $longest))) (else (f64.const 1))))
        (local.set $rounding (f64.mul (f64.const 1e-12) (local.get $bound)))
        (local.set $accepted (i32.const 0))
        (local.set $trial (i32.const 0))
        (local.set $trials (select (i32.const 1) (i32.const 30) (local.get $converged)))
        (block $tried
          (loop $backtrack
            (br_if $tried (i32.or (i32.ge_s (local.get $trial) (local.get $trials)) (local.get $accepted)))
            (local.set $i (i32.const 0))
            (block $stepped
              (loop $step
                (br_if $stepped (i32.ge_s (local.get $i) (i32.const 3)))
                (f64.store (i32.add (local.get $at) (i32.shl (local.get $i) (i32.const 3)))
                  (f64.add (f64.load (i32.add (local.get $phi) (i32.shl (local.get $i) (i32.const 3))))
                    (f64.mul (local.get $t) (f64.load (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $step)))
            (if (call $spendPoint (local.get $at) (local.get $next) (local.get $scale) (local.get $total) (local.get $slopeP) (local.get $constant)
                  (local.get $groups) (local.get $xs) (local.get $groupWeight) (local.get $start) (local.get $mx) (local.get $weight) (local.get $args) (local.get $family) (local.get $sums) (local.get $out))
              (then
                (local.set $v (f64.load (local.get $next)))
                (if (i32.or
                      (f64.le (local.get $v) (f64.add (local.get $value) (f64.mul (f64.mul (f64.const 1e-4) (local.get $t)) (local.get $slope))))
                      (i32.and
                        (i32.and
                          (f64.le (f64.mul (f64.neg (local.get $t)) (local.get $slope)) (local.get $rounding))
                          (f64.le (local.get $v) (f64.add (local.get $value) (local.get $rounding))))
                        (f64.lt (call $maxAbs (i32.add (local.get $next) (i32.const 8)) (i32.const 3)) (local.get $steepest))))
                  (then (local.set $accepted (i32.const 1))))))
            (local.set $trial (i32.add (local.get $trial) (i32.const 1)))
            (local.set $t (f64.mul (local.get $t) (f64.const 0.5)))
            (br $backtrack)))
        ;; Polishing a converged point takes the full step if it shrinks the gradient, or stops.
        (if (local.get $converged)
          (then
            (br_if $stop (i32.eqz (i32.and (local.get $accepted) (f64.lt (call $maxAbs (i32.add (local.get $next) (i32.const 8)) (i32.const 3)) (local.get $steepest)))))))
        (br_if $stop (i32.eqz (local.get $accepted)))
        (f64.store (local.get $phi) (f64.load (local.get $at)))
        (f64.store offset=8 (local.get $phi) (f64.load offset=8 (local.get $at)))
        (f64.store offset=16 (local.get $phi) (f64.load offset=16 (local.get $at)))
        (local.set $swap (local.get $cur))
        (local.set $cur (local.get $next))
        (local.set $next (local.get $swap))
        (local.set $iteration (i32.add (local.get $iteration) (i32.const 1)))
        (br $iterate)))
    (if (i32.eqz (f64.le (call $maxAbs (i32.add (local.get $cur) (i32.const 8)) (i32.const 3))
                         (f64.mul (local.get $tolerance) (f64.max (f64.const 1) (f64.abs (f64.load (local.get $cur)))))))
      (then (return (i32.const -1))))
    (if (i32.ne (local.get $cur) (local.get $work))
      (then
        (local.set $i (i32.const 0))
        (block $copied
          (loop $copy
            (br_if $copied (i32.ge_s (local.get $i) (i32.const 200)))
            (f64.store (i32.add (local.get $work) (local.get $i)) (f64.load (i32.add (local.get $cur) (local.get $i))))
            (local.set $i (i32.add (local.get $i) (i32.const 8)))
            (br $copy)))))
    ;; The standard errors into work[25 … 27] (NaN in work[25] where there are none), as
    ;; maximumLikelihood.ts's standardErrorsFromInformation: √ of the diagonal of the inverse of
    ;; the information, the log-likelihood's Hessian in θ negated.
    (f64.store offset=200 (local.get $work) (f64.const nan))
    (local.set $accepted (i32.const 1)) ;; here: every entry of the information finite
    (local.set $i (i32.const 0))
    (block $negated
      (loop $negate
        (br_if $negated (i32.ge_s (local.get $i) (i32.const 72)))
        (local.set $v (f64.neg (f64.load offset=128 (i32.add (local.get $work) (local.get $i)))))
        (f64.store offset=448 (i32.add (local.get $work) (local.get $i)) (local.get $v))
        (local.set $accepted (i32.and (local.get $accepted) (f64.eq (f64.sub (local.get $v) (local.get $v)) (f64.const 0))))
        (local.set $i (i32.add (local.get $i) (i32.const 8)))
        (br $negate)))
    (if (i32.and (local.get $accepted)
          (call $invertPositiveDefinite (i32.add (local.get $work) (i32.const 448)) (i32.add (local.get $work) (i32.const 520)) (i32.add (local.get $work) (i32.const 592)) (i32.add (local.get $work) (i32.const 664)) (i32.const 3)))
      (then
        (local.set $value (f64.sqrt (f64.load offset=592 (local.get $work))))
        (local.set $bound (f64.sqrt (f64.load offset=624 (local.get $work))))
        (local.set $steepest (f64.sqrt (f64.load offset=656 (local.get $work))))
        (if (i32.and (i32.and
              (f64.eq (f64.sub (local.get $value) (local.get $value)) (f64.const 0))
              (f64.eq (f64.sub (local.get $bound) (local.get $bound)) (f64.const 0)))
              (f64.eq (f64.sub (local.get $steepest) (local.get $steepest)) (f64.const 0)))
          (then
            (f64.store offset=200 (local.get $work) (local.get $value))
            (f64.store offset=208 (local.get $work) (local.get $bound))
            (f64.store offset=216 (local.get $work) (local.get $steepest))))))
    (local.get $iteration))

  ;; The objective of spendFit at φ = phi[0 … 2] into point[0 … 24] (see spendFit), as
  ;; fitMaximumLikelihood's curved objective makes it: 0 where |φ| > 30 (outside the domain) or
  ;; anything is not finite (minimizeNewton's finitePoint), else 1.
  (func $spendPoint
    (param $phi i32) (param $point i32) (param $scale f64)
    (param $total f64) (param $slopeP f64) (param $constant f64)
    (param $groups i32) (param $xs i32) (param $groupWeight i32) (param $start i32) (param $mx i32) (param $weight i32)
    (param $args i32) (param $family i32) (param $sums i32) (param $out i32)
    (result i32)
    (local $i i32) (local $j i32) (local $ti f64) (local $gi f64) (local $v f64) (local $finite i32) (local $raw i32) (local $at i32)
    (block $inside
      (loop $check
        (br_if $inside (i32.ge_s (local.get $i) (i32.const 3)))
        (if (f64.gt (f64.abs (f64.load (i32.add (local.get $phi) (i32.shl (local.get $i) (i32.const 3))))) (f64.const 30))
          (then (return (i32.const 0))))
        (f64.store offset=104 (i32.add (local.get $point) (i32.shl (local.get $i) (i32.const 3)))
          (call $exp (f64.load (i32.add (local.get $phi) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $check)))
    (call $spendTerms (f64.load offset=104 (local.get $point)) (f64.load offset=112 (local.get $point)) (f64.load offset=120 (local.get $point))
      (local.get $total) (local.get $slopeP) (local.get $constant) (local.get $groups) (local.get $xs) (local.get $groupWeight) (local.get $start)
      (local.get $mx) (local.get $weight) (local.get $args) (local.get $family) (local.get $sums) (local.get $out))
    ;; The log-likelihood's Hessian in θ, whole: out[4 … 9] are pp, pq, pγ, qq, qγ, γγ.
    (local.set $raw (i32.add (local.get $point) (i32.const 128)))
    (f64.store offset=0 (local.get $raw) (f64.load offset=32 (local.get $out)))
    (f64.store offset=8 (local.get $raw) (f64.load offset=40 (local.get $out)))
    (f64.store offset=16 (local.get $raw) (f64.load offset=48 (local.get $out)))
    (f64.store offset=24 (local.get $raw) (f64.load offset=40 (local.get $out)))
    (f64.store offset=32 (local.get $raw) (f64.load offset=56 (local.get $out)))
    (f64.store offset=40 (local.get $raw) (f64.load offset=64 (local.get $out)))
    (f64.store offset=48 (local.get $raw) (f64.load offset=48 (local.get $out)))
    (f64.store offset=56 (local.get $raw) (f64.load offset=64 (local.get $out)))
    (f64.store offset=64 (local.get $raw) (f64.load offset=72 (local.get $out)))
    (local.set $v (f64.mul (f64.neg (f64.load (local.get $out))) (local.get $scale)))
    (f64.store (local.get $point) (local.get $v))
    (local.set $finite (f64.eq (f64.sub (local.get $v) (local.get $v)) (f64.const 0)))
    (local.set $i (i32.const 0))
    (block $rowsDone
      (loop $row
        (br_if $rowsDone (i32.ge_s (local.get $i) (i32.const 3)))
        (local.set $ti (f64.load offset=104 (i32.add (local.get $point) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $gi (f64.load offset=8 (i32.add (local.get $out) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $v (f64.mul (f64.mul (f64.neg (local.get $gi)) (local.get $ti)) (local.get $scale)))
        (f64.store offset=8 (i32.add (local.get $point) (i32.shl (local.get $i) (i32.const 3))) (local.get $v))
        (local.set $finite (i32.and (local.get $finite) (f64.eq (f64.sub (local.get $v) (local.get $v)) (f64.const 0))))
        (local.set $j (i32.const 0))
        (block $colsDone
          (loop $col
            (br_if $colsDone (i32.ge_s (local.get $j) (i32.const 3)))
            (local.set $at (i32.shl (i32.add (i32.mul (local.get $i) (i32.const 3)) (local.get $j)) (i32.const 3)))
            (local.set $v
              (f64.mul (f64.neg (local.get $scale))
                (f64.add
                  (f64.mul (f64.mul (local.get $ti) (f64.load offset=104 (i32.add (local.get $point) (i32.shl (local.get $j) (i32.const 3)))))
                    (f64.load (i32.add (local.get $raw) (local.get $at))))
                  (if (result f64) (i32.eq (local.get $i) (local.get $j)) (then (f64.mul (local.get $ti) (local.get $gi))) (else (f64.const 0))))))
            (f64.store offset=32 (i32.add (local.get $point) (local.get $at)) (local.get $v))
            (local.set $finite (i32.and (local.get $finite) (f64.eq (f64.sub (local.get $v) (local.get $v)) (f64.const 0))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $col)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
    (local.get $finite))

  ;; minimize.ts's newtonDirection for an n × n Hessian h and gradient g: d = −(h + μI)⁻¹ g with
  ;; μ = 0, then 1e-8 · max |h_ii| growing tenfold until h + μI is positive definite (below
  ;; 1e12 · max |h_ii|), else d = −g. scratch: 3n² + n doubles.
  (func $newtonDirection (param $h i32) (param $g i32) (param $d i32) (param $scratch i32) (param $n i32)
    (local $i i32) (local $j i32) (local $scale f64) (local $mu f64) (local $shifted i32) (local $L i32) (local $inverse i32) (local $y i32) (local $nn i32)
    (local.set $nn (i32.shl (i32.mul (local.get $n) (local.get $n)) (i32.const 3)))
    (local.set $shifted (local.get $scratch))
    (local.set $L (i32.add (local.get $shifted) (local.get $nn)))
    (local.set $inverse (i32.add (local.get $L) (local.get $nn)))
    (local.set $y (i32.add (local.get $inverse) (local.get $nn)))
    (block $scaled
      (loop $diagonal
        (br_if $scaled (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $scale (f64.max (local.get $scale) (f64.abs (f64.load (i32.add (local.get $h) (i32.shl (i32.mul (local.get $i) (i32.add (local.get $n) (i32.const 1))) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $diagonal)))
    ;; scale || 1: 0 and NaN are falsy
    (if (i32.eqz (f64.ne (local.get $scale) (f64.const 0))) (then (local.set $scale (f64.const 1))))
    (if (f64.ne (local.get $scale) (local.get $scale)) (then (local.set $scale (f64.const 1))))
    (block $steepest
      (loop $shift
        (br_if $steepest (i32.eqz (f64.lt (local.get $mu) (f64.mul (f64.const 1e12) (local.get $scale)))))
        (local.set $i (i32.const 0))
        (block $copied
          (loop $copy
            (br_if $copied (i32.ge_s (local.get $i) (i32.mul (local.get $n) (local.get $n))))
            (f64.store (i32.add (local.get $shifted) (i32.shl (local.get $i) (i32.const 3))) (f64.load (i32.add (local.get $h) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $copy)))
        (local.set $i (i32.const 0))
        (block $shifted_
          (loop $add
            (br_if $shifted_ (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $j (i32.add (local.get $shifted) (i32.shl (i32.mul (local.get $i) (i32.add (local.get $n) (i32.const 1))) (i32.const 3))))
            (f64.store (local.get $j) (f64.add (f64.load (local.get $j)) (local.get $mu)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $add)))
        (if (call $invertPositiveDefinite (local.get $shifted) (local.get $L) (local.get $inverse) (local.get $y) (local.get $n))
          (then
            (local.set $i (i32.const 0))
            (block $solved
              (loop $each
                (br_if $solved (i32.ge_s (local.get $i) (local.get $n)))
                (f64.store (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3)))
                  (f64.neg (call $dot (i32.add (local.get $inverse) (i32.shl (i32.mul (local.get $i) (local.get $n)) (i32.const 3))) (local.get $g) (local.get $n))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $each)))
            (return)))
        (local.set $mu (if (result f64) (f64.eq (local.get $mu) (f64.const 0)) (then (f64.mul (f64.const 1e-8) (local.get $scale))) (else (f64.mul (local.get $mu) (f64.const 10)))))
        (br $shift)))
    (local.set $i (i32.const 0))
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (f64.store (i32.add (local.get $d) (i32.shl (local.get $i) (i32.const 3))) (f64.neg (f64.load (i32.add (local.get $g) (i32.shl (local.get $i) (i32.const 3))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each))))

  ;; minimize.ts's invertPositiveDefinite: the Cholesky factor L of the n × n matrix m (0 where m
  ;; is not positive definite), then L Lᵀ X = I solved column by column into inverse; 1.
  (func $invertPositiveDefinite (param $m i32) (param $L i32) (param $inverse i32) (param $y i32) (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $k i32) (local $col i32) (local $sum f64)
    (block $factored
      (loop $rows
        (br_if $factored (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $j (i32.const 0))
        (block $rowDone
          (loop $cols
            (br_if $rowDone (i32.gt_s (local.get $j) (local.get $i)))
            (local.set $sum (f64.load (i32.add (local.get $m) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))))
            (local.set $k (i32.const 0))
            (block $summed
              (loop $terms
                (br_if $summed (i32.ge_s (local.get $k) (local.get $j)))
                (local.set $sum (f64.sub (local.get $sum)
                  (f64.mul (f64.load (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3))))
                           (f64.load (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $n)) (local.get $k)) (i32.const 3)))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $terms)))
            (if (i32.eq (local.get $i) (local.get $j))
              (then
                (if (i32.eqz (f64.gt (local.get $sum) (f64.const 0))) (then (return (i32.const 0))))
                (f64.store (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $i)) (i32.const 3))) (f64.sqrt (local.get $sum))))
              (else
                (f64.store (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $j)) (i32.const 3)))
                  (f64.div (local.get $sum) (f64.load (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $n)) (local.get $j)) (i32.const 3))))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br $cols)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $rows)))
    (block $columnsDone
      (loop $columns
        (br_if $columnsDone (i32.ge_s (local.get $col) (local.get $n)))
        (local.set $i (i32.const 0))
        (block $forward
          (loop $down
            (br_if $forward (i32.ge_s (local.get $i) (local.get $n)))
            (local.set $sum (select (f64.const 1) (f64.const 0) (i32.eq (local.get $i) (local.get $col))))
            (local.set $k (i32.const 0))
            (block $summed
              (loop $terms
                (br_if $summed (i32.ge_s (local.get $k) (local.get $i)))
                (local.set $sum (f64.sub (local.get $sum)
                  (f64.mul (f64.load (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $k)) (i32.const 3))))
                           (f64.load (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 3)))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $terms)))
            (f64.store (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))
              (f64.div (local.get $sum) (f64.load (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $i)) (i32.const 3))))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $down)))
        (local.set $i (i32.sub (local.get $n) (i32.const 1)))
        (block $backward
          (loop $up
            (br_if $backward (i32.lt_s (local.get $i) (i32.const 0)))
            (local.set $sum (f64.load (i32.add (local.get $y) (i32.shl (local.get $i) (i32.const 3)))))
            (local.set $k (i32.add (local.get $i) (i32.const 1)))
            (block $summed
              (loop $terms
                (br_if $summed (i32.ge_s (local.get $k) (local.get $n)))
                (local.set $sum (f64.sub (local.get $sum)
                  (f64.mul (f64.load (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $i)) (i32.const 3))))
                           (f64.load (i32.add (local.get $inverse) (i32.shl (i32.add (i32.mul (local.get $k) (local.get $n)) (local.get $col)) (i32.const 3)))))))
                (local.set $k (i32.add (local.get $k) (i32.const 1)))
                (br $terms)))
            (f64.store (i32.add (local.get $inverse) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $col)) (i32.const 3)))
              (f64.div (local.get $sum) (f64.load (i32.add (local.get $L) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $n)) (local.get $i)) (i32.const 3))))))
            (local.set $i (i32.sub (local.get $i) (i32.const 1)))
            (br $up)))
        (local.set $col (i32.add (local.get $col) (i32.const 1)))
        (br $columns)))
    (i32.const 1))

  ;; Σ a[i] b[i], i < n, summed in order.
  (func $dot (param $a i32) (param $b i32) (param $n i32) (result f64)
    (local $i i32) (local $s f64)
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $s (f64.add (local.get $s) (f64.mul (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))) (f64.load (i32.add (local.get $b) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $s))

  ;; max |a[i]|, i < n (0 for none; NaN if any is NaN, as Math.max).
  (func $maxAbs (param $a i32) (param $n i32) (result f64)
    (local $i i32) (local $m f64)
    (block $done
      (loop $each
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $m (f64.max (local.get $m) (f64.abs (f64.load (i32.add (local.get $a) (i32.shl (local.get $i) (i32.const 3)))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $each)))
    (local.get $m))

  ;; For each of n arguments x > 0: out[3i] = ln Γ(x), out[3i+1] = ψ(x), out[3i+2] = ψ′(x).
  ;; The recurrences Γ(x+1) = x Γ(x), ψ(x+1) = ψ(x) + 1/x and ψ′(x+1) = ψ′(x) − 1/x² carry x
  ;; to y ≥ 10, where Stirling's series and its derivatives to B₁₄ (Abramowitz & Stegun 6.1.40,
  ;; 6.3.18, 6.4.12) leave a next term below 1e-16 of the value. Not x > 0: three NaN.
  (func $gamma3 (param $x f64) (param $at i32)
    (local $y f64) (local $prod f64) (local $s1 f64) (local $s2 f64) (local $z f64) (local $ly f64) (local $s f64)
    (if (f64.gt (local.get $x) (f64.const 0))
      (then
        (local.set $y (local.get $x))
        (local.set $prod (f64.const 1))
        (local.set $s1 (f64.const 0))
        (local.set $s2 (f64.const 0))
        (block $shifted
          (loop $shift
            (br_if $shifted (i32.eqz (f64.lt (local.get $y) (f64.const 10))))
            (local.set $prod (f64.mul (local.get $prod) (local.get $y)))
            (local.set $s1 (f64.add (local.get $s1) (f64.div (f64.const 1) (local.get $y))))
            (local.set $s2 (f64.add (local.get $s2) (f64.div (f64.const 1) (f64.mul (local.get $y) (local.get $y)))))
            (local.set $y (f64.add (local.get $y) (f64.const 1)))
            (br $shift)))
        (local.set $z (f64.div (f64.const 1) (f64.mul (local.get $y) (local.get $y))))
        (local.set $ly (call $log (local.get $y)))
        ;; ln Γ(x) = (y − ½) ln y − y + ln √(2π) + series/y − ln(x (x+1) … (y−1))
        (local.set $s (f64.const 0.00641025641025641))
        (local.set $s (f64.add (f64.const -0.0019175269175269176) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.0008417508417508417) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const -0.0005952380952380953) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.0007936507936507937) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const -0.002777777777777778) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.08333333333333333) (f64.mul (local.get $z) (local.get $s))))
        (f64.store (local.get $at)
          (f64.sub
            (f64.add
              (f64.add (f64.sub (f64.mul (f64.sub (local.get $y) (f64.const 0.5)) (local.get $ly)) (local.get $y)) (f64.const 0.9189385332046727))
              (f64.div (local.get $s) (local.get $y)))
            (call $log (local.get $prod))))
        ;; ψ(x) = ln y − 1/(2y) − z·series − Σ 1/(x+j)
        (local.set $s (f64.const 0.08333333333333333))
        (local.set $s (f64.add (f64.const -0.021092796092796094) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.007575757575757576) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const -0.004166666666666667) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.003968253968253968) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const -0.008333333333333333) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.08333333333333333) (f64.mul (local.get $z) (local.get $s))))
        (f64.store offset=8 (local.get $at)
          (f64.sub
            (f64.sub (f64.sub (local.get $ly) (f64.div (f64.const 0.5) (local.get $y))) (f64.mul (local.get $z) (local.get $s)))
            (local.get $s1)))
        ;; ψ′(x) = Σ 1/(x+j)² + (1 + (½ + series/y)/y)/y, as src/core/special/gamma.ts's trigamma
        (local.set $s (f64.const 1.1666666666666667))
        (local.set $s (f64.add (f64.const -0.2531135531135531) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.07575757575757576) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const -0.03333333333333333) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.023809523809523808) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const -0.03333333333333333) (f64.mul (local.get $z) (local.get $s))))
        (local.set $s (f64.add (f64.const 0.16666666666666666) (f64.mul (local.get $z) (local.get $s))))
        (f64.store offset=16 (local.get $at)
          (f64.add (local.get $s2)
            (f64.div
              (f64.add (f64.const 1) (f64.div (f64.add (f64.const 0.5) (f64.div (local.get $s) (local.get $y))) (local.get $y)))
              (local.get $y)))))
      (else
        (f64.store (local.get $at) (f64.const nan))
        (f64.store offset=8 (local.get $at) (f64.const nan))
        (f64.store offset=16 (local.get $at) (f64.const nan)))))

  (func $gammaFamily (export "gammaFamily") (param $args i32) (param $n i32) (param $out i32)
    (local $i i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (call $gamma3
          (f64.load (i32.add (local.get $args) (i32.shl (local.get $i) (i32.const 3))))
          (i32.add (local.get $out) (i32.mul (local.get $i) (i32.const 24))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next))))

  ;; logs[j] = ln(shift + values[j]), invs[j] = 1/(shift + values[j]) for j < n.
  (func $shiftedLogs (export "shiftedLogs") (param $values i32) (param $n i32) (param $shift f64) (param $logs i32) (param $invs i32)
    (local $j i32) (local $at i32) (local $age f64)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $n)))
        (local.set $at (i32.shl (local.get $j) (i32.const 3)))
        (local.set $age (f64.add (local.get $shift) (f64.load (i32.add (local.get $values) (local.get $at)))))
        (f64.store (i32.add (local.get $logs) (local.get $at)) (call $log (local.get $age)))
        (f64.store (i32.add (local.get $invs) (local.get $at)) (f64.div (f64.const 1) (local.get $age)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next))))

  ;; BG/NBD: the sums over the repeat buyers' rows from … end − 1 of one frequency (rx = r + x)
  ;; that src/core/purchase/bgnbd.ts describes, into out[0 … 10].
  (func $repeatBuyerSums (export "repeatBuyerSums")
    (param $weight i32) (param $jT i32) (param $jTx i32) (param $logT i32) (param $invT i32) (param $logTx i32) (param $invTx i32)
    (param $from i32) (param $end i32) (param $rx f64) (param $logA4 f64) (param $out i32)
    (local $at i32) (local $t i32) (local $tx i32)
    (local $wi f64) (local $iT f64) (local $iTx f64) (local $D f64) (local $delta f64) (local $e f64) (local $p f64)
    (local $wp f64) (local $d f64) (local $wpq f64)
    (local $soft f64) (local $sP f64) (local $sPD f64) (local $sPd f64) (local $sPd2 f64)
    (local $sQ f64) (local $sQD f64) (local $sQd f64) (local $sQDD f64) (local $sQDd f64) (local $sQdd f64)
    (local.set $at (local.get $from))
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $at) (local.get $end)))
        (local.set $wi (f64.load (i32.add (local.get $weight) (i32.shl (local.get $at) (i32.const 3)))))
        (local.set $t (i32.shl (i32.load (i32.add (local.get $jT) (i32.shl (local.get $at) (i32.const 2)))) (i32.const 3)))
        (local.set $tx (i32.shl (i32.load (i32.add (local.get $jTx) (i32.shl (local.get $at) (i32.const 2)))) (i32.const 3)))
        (local.set $iT (f64.load (i32.add (local.get $invT) (local.get $t))))
        (local.set $iTx (f64.load (i32.add (local.get $invTx) (local.get $tx))))
        (local.set $D (f64.sub (f64.load (i32.add (local.get $logTx) (local.get $tx))) (f64.load (i32.add (local.get $logT) (local.get $t)))))
        (local.set $delta (f64.sub (local.get $logA4) (f64.mul (local.get $rx) (local.get $D))))
        (local.set $e (call $exp (f64.neg (f64.abs (local.get $delta)))))
        (local.set $p
          (if (result f64) (f64.ge (local.get $delta) (f64.const 0))
            (then (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e))))
            (else (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e))))))
        (local.set $wp (f64.mul (local.get $wi) (local.get $p)))
        (local.set $d (f64.sub (local.get $iTx) (local.get $iT)))
        (local.set $wpq (f64.mul (local.get $wp) (f64.sub (f64.const 1) (local.get $p))))
        (local.set $soft (f64.add (local.get $soft) (f64.mul (local.get $wi) (f64.add (f64.max (local.get $delta) (f64.const 0)) (call $log1p (local.get $e))))))
        (local.set $sP (f64.add (local.get $sP) (local.get $wp)))
        (local.set $sPD (f64.add (local.get $sPD) (f64.mul (local.get $wp) (local.get $D))))
        (local.set $sPd (f64.add (local.get $sPd) (f64.mul (local.get $wp) (local.get $d))))
        (local.set $sPd2 (f64.add (local.get $sPd2) (f64.mul (local.get $wp)
          (f64.sub (f64.mul (local.get $iTx) (local.get $iTx)) (f64.mul (local.get $iT) (local.get $iT))))))
        (local.set $sQ (f64.add (local.get $sQ) (local.get $wpq)))
        (local.set $sQD (f64.add (local.get $sQD) (f64.mul (local.get $wpq) (local.get $D))))
        (local.set $sQd (f64.add (local.get $sQd) (f64.mul (local.get $wpq) (local.get $d))))
        (local.set $sQDD (f64.add (local.get $sQDD) (f64.mul (f64.mul (local.get $wpq) (local.get $D)) (local.get $D))))
        (local.set $sQDd (f64.add (local.get $sQDd) (f64.mul (f64.mul (local.get $wpq) (local.get $D)) (local.get $d))))
        (local.set $sQdd (f64.add (local.get $sQdd) (f64.mul (f64.mul (local.get $wpq) (local.get $d)) (local.get $d))))
        (local.set $at (i32.add (local.get $at) (i32.const 1)))
        (br $next)))
    (f64.store (local.get $out) (local.get $soft))
    (f64.store offset=8 (local.get $out) (local.get $sP))
    (f64.store offset=16 (local.get $out) (local.get $sPD))
    (f64.store offset=24 (local.get $out) (local.get $sPd))
    (f64.store offset=32 (local.get $out) (local.get $sPd2))
    (f64.store offset=40 (local.get $out) (local.get $sQ))
    (f64.store offset=48 (local.get $out) (local.get $sQD))
    (f64.store offset=56 (local.get $out) (local.get $sQd))
    (f64.store offset=64 (local.get $out) (local.get $sQDD))
    (f64.store offset=72 (local.get $out) (local.get $sQDd))
    (f64.store offset=80 (local.get $out) (local.get $sQdd)))

  ;; BG/NBD: the whole log-likelihood, its gradient in (r, α, a, b) and its Hessian, as
  ;; src/core/purchase/bgnbd.ts describes them, into out[0 … 14]: value; ∂r, ∂α, ∂a, ∂b; then
  ;; rr, rα, αα, ra, rb, αa, αb, aa, ab, bb. ln Γ(s+x) − ln Γ(s) and its ψ, ψ′ differences for
  ;; the shapes s = r, b, a+b come from the recurrences summed to the largest x into `tables`
  ;; (9 × (largest+1) doubles), or with `direct` from $gamma3 at s+x and s. `scratch` holds 32
  ;; doubles.
  (func (export "bgnbdTerms")
    (param $r f64) (param $alpha f64) (param $a f64) (param $b f64) (param $total f64)
    (param $nT i32) (param $tValues i32) (param $weightT i32) (param $weightXT i32) (param $logT i32) (param $invT i32)
    (param $nTx i32) (param $txValues i32) (param $logTx i32) (param $invTx i32)
    (param $groups i32) (param $xs i32) (param $groupWeight i32) (param $start i32)
    (param $weight i32) (param $jT i32) (param $jTx i32)
    (param $largest i32) (param $direct i32) (param $tables i32) (param $scratch i32) (param $out i32)
    (local $logAlpha f64) (local $logAParam f64) (local $value f64) (local $dr f64) (local $dalpha f64) (local $da f64) (local $db f64)
    (local $hrr f64) (local $hra f64) (local $haa f64) (local $hrA f64) (local $hrB f64) (local $haA f64) (local $haB f64) (local $hAA f64) (local $hAB f64) (local $hBB f64)
    (local $j i32) (local $k i32) (local $xi i32) (local $width i32) (local $shape i32)
    (local $s f64) (local $x f64) (local $w f64) (local $wrx f64) (local $lT f64) (local $iT f64) (local $rx f64) (local $logA4 f64) (local $iB f64)
    (local $log f64) (local $psi f64) (local $tri f64) (local $term f64) (local $at i32)
    (local $l0 f64) (local $l1 f64) (local $l2 f64) (local $p0 f64) (local $p1 f64) (local $p2 f64) (local $t0 f64) (local $t1 f64) (local $t2 f64)
    (local $soft f64) (local $sP f64) (local $sPD f64) (local $sPd f64) (local $sPd2 f64) (local $sQ f64) (local $sQD f64) (local $sQd f64) (local $sQDD f64) (local $sQDd f64) (local $sQdd f64)
    (local $psiABx f64) (local $triABx f64)
(local.set $logAlpha (call $log (local.get $alpha)))
(local.set $logAParam (call $log (local.get $a)))
(local.set $width (i32.add (local.get $largest) (i32.const 1)))
    ;; The three shapes: their recurrence tables, or (direct) ln Γ, ψ, ψ′ at each shape into scratch[11 …].
    (block $shapesDone
      (loop $shapes
        (br_if $shapesDone (i32.ge_s (local.get $shape) (i32.const 3)))
        (local.set $s (select (local.get $r) (select (local.get $b) (f64.add (local.get $a) (local.get $b)) (i32.eq (local.get $shape) (i32.const 1))) (i32.eqz (local.get $shape))))
        (if (local.get $direct)
          (then (call $gamma3 (local.get $s) (i32.add (local.get $scratch) (i32.add (i32.const 88) (i32.mul (local.get $shape) (i32.const 24))))))
          (else
            (local.set $log (f64.const 0))
            (local.set $psi (f64.const 0))
            (local.set $tri (f64.const 0))
            (local.set $xi (i32.const 1))
            (block $tableDone
              (loop $row
                (br_if $tableDone (i32.gt_s (local.get $xi) (local.get $largest)))
                (local.set $term (f64.sub (f64.add (local.get $s) (f64.convert_i32_s (local.get $xi))) (f64.const 1)))
                (local.set $log (f64.add (local.get $log) (call $log (local.get $term))))
                (local.set $psi (f64.add (local.get $psi) (f64.div (f64.const 1) (local.get $term))))
                (local.set $tri (f64.sub (local.get $tri) (f64.div (f64.const 1) (f64.mul (local.get $term) (local.get $term)))))
                (f64.store (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $shape) (i32.const 3)) (i32.const 0)) (local.get $width)) (local.get $xi)) (i32.const 3))) (local.get $log))
                (f64.store (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $shape) (i32.const 3)) (i32.const 1)) (local.get $width)) (local.get $xi)) (i32.const 3))) (local.get $psi))
                (f64.store (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.add (i32.mul (local.get $shape) (i32.const 3)) (i32.const 2)) (local.get $width)) (local.get $xi)) (i32.const 3))) (local.get $tri))
                (local.set $xi (i32.add (local.get $xi) (i32.const 1)))
                (br $row)))))
        (local.set $shape (i32.add (local.get $shape) (i32.const 1)))
        (br $shapes)))
    ;; A1's r ln α and A3's −(r+x) ln(α+T) over every customer, from the sums per distinct T.
    (local.set $value (f64.mul (f64.mul (local.get $total) (local.get $r)) (local.get $logAlpha)))
    (local.set $dr (f64.mul (local.get $total) (local.get $logAlpha)))
    (local.set $dalpha (f64.div (f64.mul (local.get $total) (local.get $r)) (local.get $alpha)))
    (local.set $hra (f64.div (local.get $total) (local.get $alpha)))
    (local.set $haa (f64.div (f64.mul (f64.neg (local.get $total)) (local.get $r)) (f64.mul (local.get $alpha) (local.get $alpha))))
    (call $shiftedLogs (local.get $tValues) (local.get $nT) (local.get $alpha) (local.get $logT) (local.get $invT))
    (block $tDone
      (loop $t
        (br_if $tDone (i32.ge_s (local.get $j) (local.get $nT)))
        (local.set $lT (f64.load (i32.add (local.get $logT) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $iT (f64.load (i32.add (local.get $invT) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $w (f64.load (i32.add (local.get $weightT) (i32.shl (local.get $j) (i32.const 3)))))
        (local.set $wrx (f64.add (f64.mul (local.get $r) (local.get $w)) (f64.load (i32.add (local.get $weightXT) (i32.shl (local.get $j) (i32.const 3))))))
        (local.set $value (f64.sub (local.get $value) (f64.mul (local.get $wrx) (local.get $lT))))
        (local.set $dr (f64.sub (local.get $dr) (f64.mul (local.get $w) (local.get $lT))))
        (local.set $dalpha (f64.sub (local.get $dalpha) (f64.mul (local.get $wrx) (local.get $iT))))
        (local.set $hra (f64.sub (local.get $hra) (f64.mul (local.get $w) (local.get $iT))))
        (local.set $haa (f64.add (local.get $haa) (f64.mul (f64.mul (local.get $wrx) (local.get $iT)) (local.get $iT))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $t)))
    (call $shiftedLogs (local.get $txValues) (local.get $nTx) (local.get $alpha) (local.get $logTx) (local.get $invTx))
    (block $groupsDone
      (loop $group
        (br_if $groupsDone (i32.ge_s (local.get $k) (local.get $groups)))
        (local.set $x (f64.load (i32.add (local.get $xs) (i32.shl (local.get $k) (i32.const 3)))))
        (if (f64.gt (local.get $x) (f64.const 0))
          (then
            (local.set $w (f64.load (i32.add (local.get $groupWeight) (i32.shl (local.get $k) (i32.const 3)))))
            (local.set $rx (f64.add (local.get $r) (local.get $x)))
            (local.set $logA4 (f64.sub (local.get $logAParam) (call $log (f64.sub (f64.add (local.get $b) (local.get $x)) (f64.const 1)))))
            (local.set $iB (f64.div (f64.const 1) (f64.sub (f64.add (local.get $b) (local.get $x)) (f64.const 1))))
            (call $repeatBuyerSums (local.get $weight) (local.get $jT) (local.get $jTx) (local.get $logT) (local.get $invT) (local.get $logTx) (local.get $invTx) (i32.load (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))) (i32.load offset=4 (i32.add (local.get $start) (i32.shl (local.get $k) (i32.const 2)))) (local.get $rx) (local.get $logA4) (local.get $scratch))
            (local.set $soft (f64.load offset=0 (local.get $scratch)))
            (local.set $sP (f64.load offset=8 (local.get $scratch)))
            (local.set $sPD (f64.load offset=16 (local.get $scratch)))
            (local.set $sPd (f64.load offset=24 (local.get $scratch)))
            (local.set $sPd2 (f64.load offset=32 (local.get $scratch)))
            (local.set $sQ (f64.load offset=40 (local.get $scratch)))
            (local.set $sQD (f64.load offset=48 (local.get $scratch)))
            (local.set $sQd (f64.load offset=56 (local.get $scratch)))
            (local.set $sQDD (f64.load offset=64 (local.get $scratch)))
            (local.set $sQDd (f64.load offset=72 (local.get $scratch)))
            (local.set $sQdd (f64.load offset=80 (local.get $scratch)))
            (if (local.get $direct)
              (then
                (call $gamma3 (f64.add (local.get $r) (local.get $x)) (i32.add (local.get $scratch) (i32.const 160)))
                (local.set $l0 (f64.sub (f64.load offset=160 (local.get $scratch)) (f64.load offset=88 (local.get $scratch))))
                (local.set $p0 (f64.sub (f64.load offset=168 (local.get $scratch)) (f64.load offset=96 (local.get $scratch))))
                (local.set $t0 (f64.sub (f64.load offset=176 (local.get $scratch)) (f64.load offset=104 (local.get $scratch))))
                (call $gamma3 (f64.add (local.get $b) (local.get $x)) (i32.add (local.get $scratch) (i32.const 160)))
                (local.set $l1 (f64.sub (f64.load offset=160 (local.get $scratch)) (f64.load offset=112 (local.get $scratch))))
                (local.set $p1 (f64.sub (f64.load offset=168 (local.get $scratch)) (f64.load offset=120 (local.get $scratch))))
                (local.set $t1 (f64.sub (f64.load offset=176 (local.get $scratch)) (f64.load offset=128 (local.get $scratch))))
                (call $gamma3 (f64.add (f64.add (local.get $a) (local.get $b)) (local.get $x)) (i32.add (local.get $scratch) (i32.const 160)))
                (local.set $l2 (f64.sub (f64.load offset=160 (local.get $scratch)) (f64.load offset=136 (local.get $scratch))))
                (local.set $p2 (f64.sub (f64.load offset=168 (local.get $scratch)) (f64.load offset=144 (local.get $scratch))))
                (local.set $t2 (f64.sub (f64.load offset=176 (local.get $scratch)) (f64.load offset=152 (local.get $scratch))))
              )
              (else
                (local.set $xi (i32.trunc_f64_s (local.get $x)))
                (local.set $l0 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 0) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $p0 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 1) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $t0 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 2) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $l1 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 3) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $p1 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 4) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $t1 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 5) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $l2 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 6) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $p2 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 7) (local.get $width)) (local.get $xi)) (i32.const 3)))))
                (local.set $t2 (f64.load (i32.add (local.get $tables) (i32.shl (i32.add (i32.mul (i32.const 8) (local.get $width)) (local.get $xi)) (i32.const 3)))))
              ))
            (local.set $psiABx (local.get $p2))
            (local.set $value (f64.add (local.get $value) (f64.add (f64.mul (local.get $w) (f64.sub (f64.add (local.get $l0) (local.get $l1)) (local.get $l2))) (local.get $soft))))
            (local.set $dr (f64.add (local.get $dr) (f64.sub (f64.mul (local.get $w) (local.get $p0)) (local.get $sPD))))
            (local.set $dalpha (f64.sub (local.get $dalpha) (f64.mul (local.get $rx) (local.get $sPd))))
            (local.set $da (f64.add (local.get $da) (f64.sub (f64.div (local.get $sP) (local.get $a)) (f64.mul (local.get $w) (local.get $psiABx)))))
            (local.set $db (f64.add (local.get $db) (f64.sub (f64.mul (local.get $w) (f64.sub (local.get $p1) (local.get $psiABx))) (f64.mul (local.get $sP) (local.get $iB)))))
            (local.set $triABx (local.get $t2))
            (local.set $hrr (f64.add (local.get $hrr) (f64.add (f64.mul (local.get $w) (local.get $t0)) (local.get $sQDD))))
            (local.set $hra (f64.sub (local.get $hra) (f64.sub (local.get $sPd) (f64.mul (local.get $rx) (local.get $sQDd)))))
            (local.set $haa (f64.add (local.get $haa) (f64.add (f64.mul (local.get $rx) (local.get $sPd2)) (f64.mul (f64.mul (local.get $rx) (local.get $rx)) (local.get $sQdd)))))
            (local.set $hrA (f64.sub (local.get $hrA) (f64.div (local.get $sQD) (local.get $a))))
            (local.set $hrB (f64.add (local.get $hrB) (f64.mul (local.get $sQD) (local.get $iB))))
            (local.set $haA (f64.sub (local.get $haA) (f64.div (f64.mul (local.get $rx) (local.get $sQd)) (local.get $a))))
            (local.set $haB (f64.add (local.get $haB) (f64.mul (f64.mul (local.get $rx) (local.get $sQd)) (local.get $iB))))
            (local.set $hAA (f64.add (local.get $hAA) (f64.sub (f64.div (f64.sub (local.get $sQ) (local.get $sP)) (f64.mul (local.get $a) (local.get $a))) (f64.mul (local.get $w) (local.get $triABx)))))
            (local.set $hAB (f64.sub (local.get $hAB) (f64.add (f64.div (f64.mul (local.get $sQ) (local.get $iB)) (local.get $a)) (f64.mul (local.get $w) (local.get $triABx)))))
            (local.set $hBB (f64.add (local.get $hBB) (f64.add (f64.mul (f64.mul (f64.add (local.get $sP) (local.get $sQ)) (local.get $iB)) (local.get $iB)) (f64.mul (local.get $w) (f64.sub (local.get $t1) (local.get $triABx))))))
          ))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $group)))
    (f64.store offset=0 (local.get $out) (local.get $value))
    (f64.store offset=8 (local.get $out) (local.get $dr))
    (f64.store offset=16 (local.get $out) (local.get $dalpha))
    (f64.store offset=24 (local.get $out) (local.get $da))
    (f64.store offset=32 (local.get $out) (local.get $db))
    (f64.store offset=40 (local.get $out) (local.get $hrr))
    (f64.store offset=48 (local.get $out) (local.get $hra))
    (f64.store offset=56 (local.get $out) (local.get $haa))
    (f64.store offset=64 (local.get $out) (local.get $hrA))
    (f64.store offset=72 (local.get $out) (local.get $hrB))
    (f64.store offset=80 (local.get $out) (local.get $haA))
    (f64.store offset=88 (local.get $out) (local.get $haB))
    (f64.store offset=96 (local.get $out) (local.get $hAA))
    (f64.store offset=104 (local.get $out) (local.get $hAB))
    (f64.store offset=112 (local.get $out) (local.get $hBB)))

  ;; e^x − 1 to a few ulps (Kahan: (u − 1)·x/ln u with u = e^x rounded corrects u's rounding).
  (func $expm1 (export "expm1") (param $x f64) (result f64)
    (local $u f64) (local $um1 f64)
    (local.set $u (call $exp (local.get $x)))
    (if (f64.eq (local.get $u) (f64.const 1)) (then (return (local.get $x))))
    (local.set $um1 (f64.sub (local.get $u) (f64.const 1)))
    (if (f64.eq (local.get $um1) (f64.const -1)) (then (return (f64.const -1))))
    (f64.div (f64.mul (local.get $um1) (local.get $x)) (call $log (local.get $u))))

  ;; Pareto/NBD: ln 2F1(a, b; a+1; z) and its derivatives in a, b, z into out[0 … 2], as
  ;; logHyp2f1AOnePlusA in src/core/purchase/paretoNbd.ts.
  (func $hyp (param $a f64) (param $b f64) (param $z f64) (param $out i32) (result f64)
    (local $c1 f64) (local $c2 f64) (local $term f64) (local $sum f64) (local $dC1 f64) (local $dC2 f64) (local $dZ f64) (local $h1 f64) (local $h2 f64)
    (local $k i32) (local $kf f64) (local $inverse f64) (local $ratio f64) (local $log1mz f64)
    (local.set $c1 (f64.sub (f64.add (local.get $a) (f64.const 1)) (local.get $b)))
    (local.set $c2 (f64.add (local.get $a) (f64.const 1)))
    (local.set $term (f64.const 1))
    (local.set $sum (f64.const 1))
    (local.set $k (i32.const 1))
    (block $done
      (loop $next
        (br_if $done (i32.gt_s (local.get $k) (i32.const 400)))
        (local.set $kf (f64.convert_i32_s (local.get $k)))
        (local.set $inverse (f64.div (f64.const 1) (f64.sub (f64.add (local.get $c2) (local.get $kf)) (f64.const 1))))
        (local.set $ratio (f64.mul (f64.sub (f64.add (local.get $c1) (local.get $kf)) (f64.const 1)) (local.get $inverse)))
        (local.set $dZ (f64.add (local.get $dZ) (f64.mul (f64.mul (local.get $kf) (local.get $term)) (local.get $ratio))))
        (local.set $h1 (f64.add (local.get $h1) (f64.div (f64.const 1) (f64.sub (f64.add (local.get $c1) (local.get $kf)) (f64.const 1)))))
        (local.set $h2 (f64.add (local.get $h2) (local.get $inverse)))
        (local.set $term (f64.mul (local.get $term) (f64.mul (local.get $ratio) (local.get $z))))
        (local.set $sum (f64.add (local.get $sum) (local.get $term)))
        (local.set $dC1 (f64.add (local.get $dC1) (f64.mul (local.get $term) (local.get $h1))))
        (local.set $dC2 (f64.add (local.get $dC2) (f64.mul (local.get $term) (local.get $h2))))
        (br_if $done (f64.le (local.get $term) (f64.mul (f64.mul (f64.const 1e-16) (local.get $sum)) (f64.sub (f64.const 1) (local.get $z)))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $next)))
    (local.set $log1mz (call $log1p (f64.neg (local.get $z))))
    (f64.store offset=0 (local.get $out) (f64.div (f64.sub (local.get $dC1) (local.get $dC2)) (local.get $sum)))
    (f64.store offset=8 (local.get $out) (f64.sub (f64.neg (local.get $log1mz)) (f64.div (local.get $dC1) (local.get $sum))))
    (f64.store offset=16 (local.get $out) (f64.add (f64.div (f64.sub (local.get $b) (f64.const 1)) (f64.sub (f64.const 1) (local.get $z))) (f64.div (local.get $dZ) (local.get $sum))))
    (f64.add (f64.mul (f64.sub (f64.const 1) (local.get $b)) (local.get $log1mz)) (call $log (local.get $sum))))

;; Pareto/NBD: the likelihood's bracket by Fader & Hardie's closed form, or NaN where it does
  ;; not apply, as seriesBracket in src/core/purchase/paretoNbd.ts; d1, d2 hold 3 doubles each.
  (func $seriesBracket (param $r f64) (param $alpha f64) (param $s f64) (param $beta f64) (param $x f64) (param $tx f64) (param $T f64)
    (param $logBase1 f64) (param $logBase2 f64) (param $logAT f64) (param $logBT f64) (param $logS f64) (param $logA f64)
    (param $d1 i32) (param $d2 i32) (param $out i32) (result f64)
    (local $larger i32) (local $m f64) (local $diff f64) (local $base1 f64) (local $base2 f64) (local $rx f64) (local $a f64) (local $b f64)
    (local $l1 f64) (local $l2 f64) (local $b1 f64) (local $q f64) (local $b2 f64) (local $top f64) (local $e f64) (local $value f64) (local $p f64)
    (local $dr f64) (local $dAlpha f64) (local $ds f64) (local $dBeta f64) (local $scale f64) (local $dA f64) (local $dB f64) (local $dLogBase f64)
    (local $dZ1 f64) (local $dZ2 f64) (local $other f64) (local $dZdm1 f64) (local $dZdm2 f64) (local $dLarger f64) (local $dSmaller f64) (local $notP f64)
    (local.set $larger (f64.ge (local.get $alpha) (local.get $beta)))
    (local.set $m (select (local.get $alpha) (local.get $beta) (local.get $larger)))
    (local.set $other (select (local.get $beta) (local.get $alpha) (local.get $larger)))
    (local.set $diff (f64.abs (f64.sub (local.get $alpha) (local.get $beta))))
    (local.set $base1 (f64.add (local.get $m) (local.get $tx)))
    (local.set $base2 (f64.add (local.get $m) (local.get $T)))
    (if (i32.or (f64.gt (f64.div (local.get $diff) (local.get $base1)) (f64.const 0.8)) (i32.eqz (f64.gt (local.get $T) (local.get $tx)))) (then (return (f64.const nan))))
    (local.set $rx (f64.add (local.get $r) (local.get $x)))
    (local.set $a (f64.add (f64.add (local.get $r) (local.get $s)) (local.get $x)))
    (local.set $b (select (f64.add (local.get $s) (f64.const 1)) (local.get $rx) (local.get $larger)))
    (local.set $l1 (f64.sub (call $hyp (local.get $a) (local.get $b) (f64.div (local.get $diff) (local.get $base1)) (local.get $d1)) (f64.mul (local.get $a) (local.get $logBase1))))
    (local.set $l2 (f64.sub (call $hyp (local.get $a) (local.get $b) (f64.div (local.get $diff) (local.get $base2)) (local.get $d2)) (f64.mul (local.get $a) (local.get $logBase2))))
    (if (i32.eqz (f64.gt (f64.sub (local.get $l1) (local.get $l2)) (f64.const 0.01))) (then (return (f64.const nan))))
    (local.set $b1 (f64.sub (f64.mul (f64.neg (local.get $rx)) (local.get $logAT)) (f64.mul (local.get $s) (local.get $logBT))))
    (local.set $q (call $exp (f64.sub (local.get $l2) (local.get $l1))))
    (local.set $b2 (f64.add (f64.add (f64.sub (local.get $logS) (local.get $logA)) (local.get $l1)) (call $log (f64.neg (call $expm1 (f64.sub (local.get $l2) (local.get $l1)))))))
    (local.set $top (f64.max (local.get $b1) (local.get $b2)))
    (local.set $e (call $exp (f64.neg (f64.abs (f64.sub (local.get $b1) (local.get $b2))))))
    (local.set $value (f64.add (local.get $top) (call $log1p (local.get $e))))
    (local.set $p (if (result f64) (f64.ge (local.get $b2) (local.get $b1)) (then (f64.div (f64.const 1) (f64.add (f64.const 1) (local.get $e)))) (else (f64.div (local.get $e) (f64.add (f64.const 1) (local.get $e))))))
    (local.set $notP (f64.neg (f64.sub (f64.const 1) (local.get $p))))
    (local.set $dr (f64.mul (local.get $notP) (local.get $logAT)))
    (local.set $dAlpha (f64.div (f64.mul (local.get $notP) (local.get $rx)) (f64.add (local.get $alpha) (local.get $T))))
    (local.set $ds (f64.mul (local.get $notP) (local.get $logBT)))
    (local.set $dBeta (f64.div (f64.mul (local.get $notP) (local.get $s)) (f64.add (local.get $beta) (local.get $T))))
    (local.set $scale (f64.div (local.get $p) (f64.sub (f64.const 1) (local.get $q))))
    (local.set $dA (f64.sub (f64.load offset=0 (local.get $d1)) (f64.mul (local.get $q) (f64.load offset=0 (local.get $d2)))))
    (local.set $dB (f64.sub (f64.load offset=8 (local.get $d1)) (f64.mul (local.get $q) (f64.load offset=8 (local.get $d2)))))
    (local.set $dLogBase (f64.sub (local.get $logBase1) (f64.mul (local.get $q) (local.get $logBase2))))
    (local.set $dZ1 (f64.load offset=16 (local.get $d1)))
    (local.set $dZ2 (f64.load offset=16 (local.get $d2)))
    (local.set $dZdm1 (f64.div (f64.add (local.get $other) (local.get $tx)) (f64.mul (local.get $base1) (local.get $base1))))
    (local.set $dZdm2 (f64.div (f64.add (local.get $other) (local.get $T)) (f64.mul (local.get $base2) (local.get $base2))))
    (local.set $dLarger (f64.sub (f64.sub (f64.mul (local.get $dZ1) (local.get $dZdm1)) (f64.div (local.get $a) (local.get $base1))) (f64.mul (local.get $q) (f64.sub (f64.mul (local.get $dZ2) (local.get $dZdm2)) (f64.div (local.get $a) (local.get $base2))))))
    (local.set $dSmaller (f64.add (f64.div (f64.neg (local.get $dZ1)) (local.get $base1)) (f64.div (f64.mul (local.get $q) (local.get $dZ2)) (local.get $base2))))
    (if (local.get $larger)
      (then
        (local.set $dr (f64.add (local.get $dr) (f64.add (f64.mul (local.get $p) (f64.div (f64.const -1) (local.get $a))) (f64.mul (local.get $scale) (f64.sub (local.get $dA) (local.get $dLogBase))))))
        (local.set $ds (f64.add (local.get $ds) (f64.add (f64.mul (local.get $p) (f64.sub (f64.div (f64.const 1) (local.get $s)) (f64.div (f64.const 1) (local.get $a)))) (f64.mul (local.get $scale) (f64.sub (f64.add (local.get $dA) (local.get $dB)) (local.get $dLogBase))))))
        (local.set $dAlpha (f64.add (local.get $dAlpha) (f64.mul (local.get $scale) (local.get $dLarger))))
        (local.set $dBeta (f64.add (local.get $dBeta) (f64.mul (local.get $scale) (local.get $dSmaller))))
      )
      (else
        (local.set $dr (f64.add (local.get $dr) (f64.add (f64.mul (local.get $p) (f64.div (f64.const -1) (local.get $a))) (f64.mul (local.get $scale) (f64.sub (f64.add (local.get $dA) (local.get $dB)) (local.get $dLogBase))))))
        (local.set $ds (f64.add (local.get $ds) (f64.add (f64.mul (local.get $p) (f64.sub (f64.div (f64.const 1) (local.get $s)) (f64.div (f64.const 1) (local.get $a)))) (f64.mul (local.get $scale) (f64.sub (local.get $dA) (local.get $dLogBase))))))
        (local.set $dBeta (f64.add (local.get $dBeta) (f64.mul (local.get $scale) (local.get $dLarger))))
        (local.set $dAlpha (f64.add (local.get $dAlpha) (f64.mul (local.get $scale) (local.get $dSmaller))))
      ))
    (f64.store offset=0 (local.get $out) (local.get $dr))
    (f64.store offset=8 (local.get $out) (local.get $dAlpha))
    (f64.store offset=16 (local.get $out) (local.get $ds))
    (f64.store offset=24 (local.get $out) (local.get $dBeta))
    (f64.store offset=32 (local.get $out) (f64.sub (local.get $b1) (local.get $value)))
    (local.get $value))

  ;; Pareto/NBD: ln of the death integral and its logarithmic derivatives into out[0 … 3], as
  ;; logDeathIntegral in src/core/purchase/paretoNbd.ts; nodes and weights: its 12-point rule.
  (func $deathIntegral (param $k f64) (param $S f64) (param $alpha f64) (param $beta f64) (param $tx f64) (param $T f64)
    (param $nodes i32) (param $weights i32) (param $out i32) (result f64)
    (local $g0 f64) (local $sum f64) (local $sk f64) (local $sAlpha f64) (local $sS f64) (local $sBeta f64) (local $start f64) (local $narrowest f64)
    (local $panels i32) (local $slope f64) (local $h f64) (local $half f64) (local $i i32) (local $tau f64) (local $la f64) (local $lb f64) (local $f f64) (local $last i32)
    (f64.store offset=0 (local.get $out) (f64.const 0))
    (f64.store offset=8 (local.get $out) (f64.const 0))
    (f64.store offset=16 (local.get $out) (f64.const 0))
    (f64.store offset=24 (local.get $out) (f64.const 0))
    (if (i32.eqz (f64.gt (local.get $T) (local.get $tx))) (then (return (f64.const -inf))))
    (local.set $g0 (f64.add (f64.mul (local.get $k) (call $log (f64.add (local.get $alpha) (local.get $tx)))) (f64.mul (local.get $S) (call $log (f64.add (local.get $beta) (local.get $tx))))))
    (local.set $start (local.get $tx))
    (local.set $narrowest (f64.mul (f64.sub (local.get $T) (local.get $tx)) (f64.const 0x1p-40)))
    (block $done
      (loop $panel
        (br_if $done (i32.eqz (i32.and (f64.lt (local.get $start) (local.get $T)) (i32.lt_s (local.get $panels) (i32.const 400)))))
        (local.set $slope (f64.add (f64.div (local.get $k) (f64.add (local.get $alpha) (local.get $start))) (f64.div (local.get $S) (f64.add (local.get $beta) (local.get $start)))))
        (local.set $h (f64.min (f64.max (f64.min (f64.min (f64.div (f64.const 3) (local.get $slope)) (f64.add (local.get $alpha) (local.get $start))) (f64.add (local.get $beta) (local.get $start))) (local.get $narrowest)) (f64.sub (local.get $T) (local.get $start))))
        (local.set $half (f64.div (local.get $h) (f64.const 2)))
        (local.set $i (i32.const 0))
        (block $nodesDone
          (loop $node
            (br_if $nodesDone (i32.ge_s (local.get $i) (i32.const 12)))
            (local.set $tau (f64.add (local.get $start) (f64.mul (local.get $half) (f64.add (f64.const 1) (f64.load (i32.add (local.get $nodes) (i32.shl (local.get $i) (i32.const 3))))))))
            (local.set $la (call $log (f64.add (local.get $alpha) (local.get $tau))))
            (local.set $lb (call $log (f64.add (local.get $beta) (local.get $tau))))
            (local.set $f (f64.mul (f64.mul (f64.load (i32.add (local.get $weights) (i32.shl (local.get $i) (i32.const 3)))) (local.get $half)) (call $exp (f64.sub (f64.sub (local.get $g0) (f64.mul (local.get $k) (local.get $la))) (f64.mul (local.get $S) (local.get $lb))))))
            (local.set $sum (f64.add (local.get $sum) (local.get $f)))
            (local.set $sk (f64.sub (local.get $sk) (f64.mul (local.get $f) (local.get $la))))
            (local.set $sAlpha (f64.sub (local.get $sAlpha) (f64.div (f64.mul (local.get $f) (local.get $k)) (f64.add (local.get $alpha) (local.get $tau)))))
            (local.set $sS (f64.sub (local.get $sS) (f64.mul (local.get $f) (local.get $lb))))
            (local.set $sBeta (f64.sub (local.get $sBeta) (f64.div (f64.mul (local.get $f) (local.get $S)) (f64.add (local.get $beta) (local.get $tau)))))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $node)))
        (local.set $last (f64.eq (local.get $h) (f64.sub (local.get $T) (local.get $start))))
        (local.set $start (f64.add (local.get $start) (local.get $h)))
        (br_if $done (i32.or (local.get $last) (f64.gt (f64.sub (f64.add (f64.mul (local.get $k) (call $log (f64.add (local.get $alpha) (local.get $start)))) (f64.mul (local.get $S) (call $log (f64.add (local.get $beta) (local.get $start))))) (local.get $g0)) (f64.const 45))))
        (local.set $panels (i32.add (local.get $panels) (i32.const 1)))
        (br $panel)))
    (if (i32.eqz (i32.and (f64.gt (local.get $sum) (f64.const 0)) (f64.lt (local.get $sum) (f64.const inf)))) (then (return (f64.const -inf))))
    (f64.store offset=0 (local.get $out) (f64.div (local.get $sk) (local.get $sum)))
    (f64.store offset=8 (local.get $out) (f64.div (local.get $sAlpha) (local.get $sum)))
    (f64.store offset=16 (local.get $out) (f64.div (local.get $sS) (local.get $sum)))
    (f64.store offset=24 (local.get $out) (f64.div (local.get $sBeta) (local.get $sum)))
    (f64.sub (call $log (local.get $sum)) (local.get $g0)))

  ;; Pareto/NBD: ln of a customer's bracket and its gradient, ln P(alive) in out[4], as
  ;; logBracket in src/core/purchase/paretoNbd.ts; scratch: 10 doubles.
  (func $logBracket (param $r f64) (param $alpha f64) (param $s f64) (param $beta f64) (param $x f64) (param $tx f64) (param $T f64)
    (param $logBase1 f64) (param $logBase2 f64) (param $logAT f64) (param $logBT f64) (param $logS f64) (param $logA f64)
    (param $nodes i32) (param $weights i32) (param $scratch i32) (param $out i32) (result f64)
    (local $via f64) (local $k f64) (local $logE f64) (local $logJ f64) (local $logSJ f64) (local $top f64) (local $value f64) (local $pE f64) (local $pJ f64) (local $death i32)
    (local.set $via (call $seriesBracket (local.get $r) (local.get $alpha) (local.get $s) (local.get $beta) (local.get $x) (local.get $tx) (local.get $T) (local.get $logBase1) (local.get $logBase2) (local.get $logAT) (local.get $logBT) (local.get $logS) (local.get $logA) (local.get $scratch) (i32.add (local.get $scratch) (i32.const 24)) (local.get $out)))
    (if (f64.eq (local.get $via) (local.get $via)) (then (return (local.get $via))))
    (local.set $death (i32.add (local.get $scratch) (i32.const 48)))
    (local.set $k (f64.add (local.get $r) (local.get $x)))
    (local.set $logE (f64.sub (f64.mul (f64.neg (local.get $k)) (local.get $logAT)) (f64.mul (local.get $s) (local.get $logBT))))
    (local.set $logJ (call $deathIntegral (local.get $k) (f64.add (local.get $s) (f64.const 1)) (local.get $alpha) (local.get $beta) (local.get $tx) (local.get $T) (local.get $nodes) (local.get $weights) (local.get $death)))
    (local.set $logSJ (f64.add (local.get $logS) (local.get $logJ)))
    (local.set $top (f64.max (local.get $logE) (local.get $logSJ)))
    (local.set $value (if (result f64) (f64.eq (local.get $logSJ) (f64.const -inf)) (then (local.get $logE)) (else (f64.add (local.get $top) (call $log (f64.add (call $exp (f64.sub (local.get $logE) (local.get $top))) (call $exp (f64.sub (local.get $logSJ) (local.get $top)))))))))
    (local.set $pE (call $exp (f64.sub (local.get $logE) (local.get $value))))
    (local.set $pJ (f64.sub (f64.const 1) (local.get $pE)))
    (f64.store offset=0 (local.get $out) (f64.add (f64.mul (f64.neg (local.get $pE)) (local.get $logAT)) (f64.mul (local.get $pJ) (f64.load offset=0 (local.get $death)))))
    (f64.store offset=8 (local.get $out) (f64.add (f64.div (f64.mul (f64.neg (local.get $pE)) (local.get $k)) (f64.add (local.get $alpha) (local.get $T))) (f64.mul (local.get $pJ) (f64.load offset=8 (local.get $death)))))
    (f64.store offset=16 (local.get $out) (f64.add (f64.mul (f64.neg (local.get $pE)) (local.get $logBT)) (f64.mul (local.get $pJ) (f64.add (f64.div (f64.const 1) (local.get $s)) (f64.load offset=16 (local.get $death))))))
    (f64.store offset=24 (local.get $out) (f64.add (f64.div (f64.mul (f64.neg (local.get $pE)) (local.get $s)) (f64.add (local.get $beta) (local.get $T))) (f64.mul (local.get $pJ) (f64.load offset=24 (local.get $death)))))
    (f64.store offset=32 (local.get $out) (f64.sub (local.get $logE) (local.get $value)))
    (local.get $value))

  ;; Pareto/NBD: Σ w ln(bracket) over the rows and its gradient into out[0 … 4] (∂r, ∂α, ∂s, ∂β,
  ;; then the sum), as bracketSums in src/core/purchase/paretoNbd.ts: the logarithms the rows
  ;; share come per distinct T (alphaT, betaT, base2), t_x (base1) and x (logA); scratch: 16 doubles.
  (func (export "pnbdBrackets")
    (param $r f64) (param $alpha f64) (param $s f64) (param $beta f64) (param $logS f64) (param $rows i32)
    (param $weight i32) (param $frequency i32) (param $recency i32) (param $T i32) (param $xIndex i32) (param $tIndex i32) (param $txIndex i32)
    (param $alphaT i32) (param $betaT i32) (param $base1 i32) (param $base2 i32) (param $logA i32)
    (param $nodes i32) (param $weights i32) (param $scratch i32) (param $out i32)
    (local $i i32) (local $t i32) (local $w f64) (local $bracket f64) (local $each i32)
    (local $value f64) (local $dr f64) (local $dAlpha f64) (local $ds f64) (local $dBeta f64)
    (local.set $each (i32.add (local.get $scratch) (i32.const 80)))
    (block $done
      (loop $row
        (br_if $done (i32.ge_s (local.get $i) (local.get $rows)))
        (local.set $w (f64.load (i32.add (local.get $weight) (i32.shl (local.get $i) (i32.const 3)))))
        (local.set $t (i32.load (i32.add (local.get $tIndex) (i32.shl (local.get $i) (i32.const 2)))))
        (local.set $bracket (call $logBracket (local.get $r) (local.get $alpha) (local.get $s) (local.get $beta) (f64.load (i32.add (local.get $frequency) (i32.shl (local.get $i) (i32.const 3)))) (f64.load (i32.add (local.get $recency) (i32.shl (local.get $i) (i32.const 3)))) (f64.load (i32.add (local.get $T) (i32.shl (local.get $i) (i32.const 3)))) (f64.load (i32.add (local.get $base1) (i32.shl (i32.load (i32.add (local.get $txIndex) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))) (f64.load (i32.add (local.get $base2) (i32.shl (local.get $t) (i32.const 3)))) (f64.load (i32.add (local.get $alphaT) (i32.shl (local.get $t) (i32.const 3)))) (f64.load (i32.add (local.get $betaT) (i32.shl (local.get $t) (i32.const 3)))) (local.get $logS) (f64.load (i32.add (local.get $logA) (i32.shl (i32.load (i32.add (local.get $xIndex) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))) (local.get $nodes) (local.get $weights) (local.get $scratch) (local.get $each)))
        (local.set $value (f64.add (local.get $value) (f64.mul (local.get $w) (local.get $bracket))))
        (local.set $dr (f64.add (local.get $dr) (f64.mul (local.get $w) (f64.load offset=0 (local.get $each)))))
        (local.set $dAlpha (f64.add (local.get $dAlpha) (f64.mul (local.get $w) (f64.load offset=8 (local.get $each)))))
        (local.set $ds (f64.add (local.get $ds) (f64.mul (local.get $w) (f64.load offset=16 (local.get $each)))))
        (local.set $dBeta (f64.add (local.get $dBeta) (f64.mul (local.get $w) (f64.load offset=24 (local.get $each)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $row)))
    (f64.store offset=0 (local.get $out) (local.get $dr))
    (f64.store offset=8 (local.get $out) (local.get $dAlpha))
    (f64.store offset=16 (local.get $out) (local.get $ds))
    (f64.store offset=24 (local.get $out) (local.get $dBeta))
    (f64.store offset=32 (local.get $out) (local.get $value)))
)
