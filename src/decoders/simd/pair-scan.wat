;; Finds where either of two byte pairs starts in a buffer, 64 bytes per step with 128-bit SIMD.
;;
;; The byte pre-filter uses it to find the first two bytes of its needles (a ResultType code's digits and
;; the escape "\u") in one pass, where Buffer.indexOf needs one pass per needle: about 35 ms instead of
;; 150 ms for 717 MB of JSON lines on the benchmark machine. Each hit is then checked in JavaScript.
;;
;; Memory: the input is copied to offset 0 (at most INPUT_BYTES = 2 MiB); hit offsets are written as i32
;; from HITS_OFFSET = 2 MiB on (at most 256 Ki hits). pair-scan.ts holds the same constants.
;;
;; Source of pair-scan-wasm.ts: `npm run build:wasm` assembles it, and a test checks that the two agree.
(module
  (memory (export "memory") 48)

  ;; Offset to call findPairs from again when the hit output filled up; equal to `length` otherwise.
  (global $resume (export "resume") (mut i32) (i32.const 0))

  ;; Writes to hits[] the offsets in [from, length - 1) where pair0 or pair1 starts (a pair is its first byte
  ;; plus its second byte times 256), in increasing order and at most maxHits of them; returns their count.
  (func (export "findPairs")
    (param $from i32) (param $length i32) (param $pair0 i32) (param $pair1 i32) (param $hits i32) (param $maxHits i32)
    (result i32)
    (local $i i32) (local $count i32) (local $mask i32) (local $two i32)
    (local $first0 v128) (local $second0 v128) (local $first1 v128) (local $second1 v128)
    (local $here v128) (local $next v128)
    (local $m0 v128) (local $m1 v128) (local $m2 v128) (local $m3 v128)

    (local.set $first0 (i8x16.splat (local.get $pair0)))
    (local.set $second0 (i8x16.splat (i32.shr_u (local.get $pair0) (i32.const 8))))
    (local.set $first1 (i8x16.splat (local.get $pair1)))
    (local.set $second1 (i8x16.splat (i32.shr_u (local.get $pair1) (i32.const 8))))
    (local.set $i (local.get $from))

    ;; 64 bytes per step; each step also reads the byte after them, so it needs 65 bytes.
    (block $done
      (loop $steps
        (br_if $done (i32.gt_u (i32.add (local.get $i) (i32.const 65)) (local.get $length)))
        (local.set $m0 (v128.or
          (v128.and
            (i8x16.eq (local.tee $here (v128.load offset=0 (local.get $i))) (local.get $first0))
            (i8x16.eq (local.tee $next (v128.load offset=1 (local.get $i))) (local.get $second0)))
          (v128.and
            (i8x16.eq (local.get $here) (local.get $first1))
            (i8x16.eq (local.get $next) (local.get $second1)))))
        (local.set $m1 (v128.or
          (v128.and
            (i8x16.eq (local.tee $here (v128.load offset=16 (local.get $i))) (local.get $first0))
            (i8x16.eq (local.tee $next (v128.load offset=17 (local.get $i))) (local.get $second0)))
          (v128.and
            (i8x16.eq (local.get $here) (local.get $first1))
            (i8x16.eq (local.get $next) (local.get $second1)))))
        (local.set $m2 (v128.or
          (v128.and
            (i8x16.eq (local.tee $here (v128.load offset=32 (local.get $i))) (local.get $first0))
            (i8x16.eq (local.tee $next (v128.load offset=33 (local.get $i))) (local.get $second0)))
          (v128.and
            (i8x16.eq (local.get $here) (local.get $first1))
            (i8x16.eq (local.get $next) (local.get $second1)))))
        (local.set $m3 (v128.or
          (v128.and
            (i8x16.eq (local.tee $here (v128.load offset=48 (local.get $i))) (local.get $first0))
            (i8x16.eq (local.tee $next (v128.load offset=49 (local.get $i))) (local.get $second0)))
          (v128.and
            (i8x16.eq (local.get $here) (local.get $first1))
            (i8x16.eq (local.get $next) (local.get $second1)))))
        (if (v128.any_true (v128.or (v128.or (local.get $m0) (local.get $m1)) (v128.or (local.get $m2) (local.get $m3))))
          (then
            ;; A step is reported whole or not at all, so resuming at $i repeats no hit.
            (if (i32.gt_u (i32.add (local.get $count) (i32.const 64)) (local.get $maxHits))
              (then
                (global.set $resume (local.get $i))
                (return (local.get $count))))
            (local.set $mask (i8x16.bitmask (local.get $m0)))
            (block $none0
              (br_if $none0 (i32.eqz (local.get $mask)))
              (loop $bits0
                (i32.store
                  (i32.add (local.get $hits) (i32.shl (local.get $count) (i32.const 2)))
                  (i32.add (local.get $i) (i32.add (i32.const 0) (i32.ctz (local.get $mask)))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                (br_if $bits0 (local.get $mask))))
            (local.set $mask (i8x16.bitmask (local.get $m1)))
            (block $none1
              (br_if $none1 (i32.eqz (local.get $mask)))
              (loop $bits1
                (i32.store
                  (i32.add (local.get $hits) (i32.shl (local.get $count) (i32.const 2)))
                  (i32.add (local.get $i) (i32.add (i32.const 16) (i32.ctz (local.get $mask)))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                (br_if $bits1 (local.get $mask))))
            (local.set $mask (i8x16.bitmask (local.get $m2)))
            (block $none2
              (br_if $none2 (i32.eqz (local.get $mask)))
              (loop $bits2
                (i32.store
                  (i32.add (local.get $hits) (i32.shl (local.get $count) (i32.const 2)))
                  (i32.add (local.get $i) (i32.add (i32.const 32) (i32.ctz (local.get $mask)))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                (br_if $bits2 (local.get $mask))))
            (local.set $mask (i8x16.bitmask (local.get $m3)))
            (block $none3
              (br_if $none3 (i32.eqz (local.get $mask)))
              (loop $bits3
                (i32.store
                  (i32.add (local.get $hits) (i32.shl (local.get $count) (i32.const 2)))
                  (i32.add (local.get $i) (i32.add (i32.const 48) (i32.ctz (local.get $mask)))))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))
                (local.set $mask (i32.and (local.get $mask) (i32.sub (local.get $mask) (i32.const 1))))
                (br_if $bits3 (local.get $mask))))))
        (local.set $i (i32.add (local.get $i) (i32.const 64)))
        (br $steps)))

    ;; The last bytes, one at a time.
    (block $tailDone
      (loop $tail
        (br_if $tailDone (i32.ge_u (i32.add (local.get $i) (i32.const 1)) (local.get $length)))
        (local.set $two (i32.load16_u (local.get $i)))
        (if (i32.or
              (i32.eq (local.get $two) (i32.and (local.get $pair0) (i32.const 0xffff)))
              (i32.eq (local.get $two) (i32.and (local.get $pair1) (i32.const 0xffff))))
          (then
            (if (i32.ge_u (local.get $count) (local.get $maxHits))
              (then
                (global.set $resume (local.get $i))
                (return (local.get $count))))
            (i32.store (i32.add (local.get $hits) (i32.shl (local.get $count) (i32.const 2))) (local.get $i))
            (local.set $count (i32.add (local.get $count) (i32.const 1)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail)))

    (global.set $resume (local.get $length))
    (local.get $count)))
