;; Finds where a record that the JSON splitter (json-stream.ts) is capturing ends, 64 bytes per step with
;; 128-bit SIMD, instead of walking every byte in JavaScript.
;;
;; For each block of 64 bytes it builds bit masks of the quotes, backslashes, newlines and brackets. It marks
;; the escaped bytes as simdjson's stage 1 does (next_escape_and_terminal_code in its json_escape_scanner.h),
;; and derives the bytes inside strings as the prefix XOR of the unescaped quotes. Only brackets and newlines
;; outside strings are then visited one by one, so string contents cost no branch.
;;
;; It gives the same result as the splitter's byte loop, or passes the work back to it:
;; - a block with a backslash outside a string (invalid JSON, where the byte loop ignores the backslash but
;;   the masks would take it for an escape) or a newline inside a string (a damaged record) is left to the
;;   byte loop whole;
;; - a "{" no further right than the record's own opening bracket is left to the byte loop, which decides
;;   whether it starts a new record because the captured one lacks its closing bracket;
;; - the last bytes of the chunk, fewer than 64, are left to the byte loop.
;;
;; Memory: the state below at bytes [0, 32), the opening bracket of each depth 1..64 at byte 64 + depth, the
;; chunk from CHUNK_OFFSET = 256 on; structure-scan.ts grows the memory to fit its chunk and holds the same
;; constants.
;;
;; Source of structure-scan-wasm.ts: `npm run build:wasm` assembles it, and a test checks that the two agree.
(module
  (memory (export "memory") 17)

  ;; State, as i32 slots that the caller writes before and reads after each call:
  ;;   0 depth of brackets       4 inside a string (0/1)     8 next byte escaped (0/1)
  ;;  12 newlines passed (out)  16 offset where the current line starts, may be negative
  ;;  20 column of the record's opening bracket (in)        24 why the scan stopped (out), see $scan
  ;;  28 deepest depth reached (out): the opening brackets of the depths from the starting one + 1 up to it
  ;;     (64 at most) were stored

  ;; Scans the chunk from byte $pos while 64 bytes remain before $end and returns the offset it stopped at.
  ;; Stop reasons: 0 fewer than 64 bytes remain; 1 the record ended, the result is the offset after its
  ;; closing bracket; 2 a "{" that may start a line is at the result; 3 the block at the result needs
  ;; the byte loop. In each case the state describes the bytes before the result exactly.
  (func (export "scan") (param $pos i32) (param $end i32) (result i32)
    (local $depth i32) (local $inside i64) (local $escapedIn i64)
    (local $lines i32) (local $lineStart i32) (local $column i32) (local $deepest i32)
    (local $quoteBytes v128) (local $backslashBytes v128) (local $newlineBytes v128)
    (local $openBytes v128) (local $closeBytes v128) (local $caseBit v128)
    (local $p i32) (local $v v128) (local $folded v128)
    (local $quote i64) (local $backslash i64) (local $newline i64) (local $bracket i64)
    (local $code i64) (local $escaped i64) (local $escapedOut i64) (local $strings i64)
    (local $events i64) (local $at i32) (local $byte i32)

    (local.set $quoteBytes (i8x16.splat (i32.const 0x22)))
    (local.set $backslashBytes (i8x16.splat (i32.const 0x5c)))
    (local.set $newlineBytes (i8x16.splat (i32.const 0x0a)))
    ;; With bit 0x20 set, "[" reads as "{" and "]" as "}", and no other byte reads as either.
    (local.set $caseBit (i8x16.splat (i32.const 0x20)))
    (local.set $openBytes (i8x16.splat (i32.const 0x7b)))
    (local.set $closeBytes (i8x16.splat (i32.const 0x7d)))

    (i32.store (i32.const 24) (i32.const 0))
    (local.set $depth (i32.load (i32.const 0)))
    (local.set $inside (i64.sub (i64.const 0) (i64.extend_i32_u (i32.load (i32.const 4)))))
    (local.set $escapedIn (i64.extend_i32_u (i32.load (i32.const 8))))
    (local.set $lineStart (i32.load (i32.const 16)))
    (local.set $column (i32.load (i32.const 20)))
    (local.set $deepest (local.get $depth))

    (block $stop
      (loop $blocks
        (br_if $stop (i32.gt_s (i32.add (local.get $pos) (i32.const 64)) (local.get $end)))
        (local.set $p (i32.add (local.get $pos) (i32.const 256)))

        ;; Bit i of each mask is byte $pos + i. The four 16-byte lanes are unrolled, because a loop over them
        ;; took about 0.03 s longer on 717 MB.
        (local.set $v (v128.load offset=0 (local.get $p)))
        (local.set $folded (v128.or (local.get $v) (local.get $caseBit)))
        (local.set $quote (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteBytes)))))
        (local.set $backslash (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $backslashBytes)))))
        (local.set $newline (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $newlineBytes)))))
        (local.set $bracket (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $openBytes)) (i8x16.eq (local.get $folded) (local.get $closeBytes))))))

        (local.set $v (v128.load offset=16 (local.get $p)))
        (local.set $folded (v128.or (local.get $v) (local.get $caseBit)))
        (local.set $quote (i64.or (local.get $quote)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteBytes)))) (i64.const 16))))
        (local.set $backslash (i64.or (local.get $backslash)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $backslashBytes)))) (i64.const 16))))
        (local.set $newline (i64.or (local.get $newline)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $newlineBytes)))) (i64.const 16))))
        (local.set $bracket (i64.or (local.get $bracket)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $openBytes)) (i8x16.eq (local.get $folded) (local.get $closeBytes))))) (i64.const 16))))

        (local.set $v (v128.load offset=32 (local.get $p)))
        (local.set $folded (v128.or (local.get $v) (local.get $caseBit)))
        (local.set $quote (i64.or (local.get $quote)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteBytes)))) (i64.const 32))))
        (local.set $backslash (i64.or (local.get $backslash)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $backslashBytes)))) (i64.const 32))))
        (local.set $newline (i64.or (local.get $newline)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $newlineBytes)))) (i64.const 32))))
        (local.set $bracket (i64.or (local.get $bracket)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $openBytes)) (i8x16.eq (local.get $folded) (local.get $closeBytes))))) (i64.const 32))))

        (local.set $v (v128.load offset=48 (local.get $p)))
        (local.set $folded (v128.or (local.get $v) (local.get $caseBit)))
        (local.set $quote (i64.or (local.get $quote)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $quoteBytes)))) (i64.const 48))))
        (local.set $backslash (i64.or (local.get $backslash)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $backslashBytes)))) (i64.const 48))))
        (local.set $newline (i64.or (local.get $newline)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (i8x16.eq (local.get $v) (local.get $newlineBytes)))) (i64.const 48))))
        (local.set $bracket (i64.or (local.get $bracket)
          (i64.shl (i64.extend_i32_u (i8x16.bitmask (v128.or (i8x16.eq (local.get $folded) (local.get $openBytes)) (i8x16.eq (local.get $folded) (local.get $closeBytes))))) (i64.const 48))))

        ;; Escaped bytes: in a run of backslashes every second one escapes the byte after it (simdjson's
        ;; next_escape_and_terminal_code). $escapedOut carries an escape of the next block's first byte.
        (local.set $escaped (local.get $escapedIn))
        (local.set $escapedOut (i64.const 0))
        (if (i64.ne (local.get $backslash) (i64.const 0))
          (then
            (local.set $code (i64.and (local.get $backslash) (i64.xor (local.get $escapedIn) (i64.const -1))))
            (local.set $code (i64.xor
              (i64.sub (i64.or (i64.shl (local.get $code) (i64.const 1)) (i64.const 0xAAAAAAAAAAAAAAAA)) (local.get $code))
              (i64.const 0xAAAAAAAAAAAAAAAA)))
            (local.set $escaped (i64.xor (local.get $code) (i64.or (local.get $backslash) (local.get $escapedIn))))
            (local.set $escapedOut (i64.shr_u (i64.and (local.get $code) (local.get $backslash)) (i64.const 63)))))
        (local.set $quote (i64.and (local.get $quote) (i64.xor (local.get $escaped) (i64.const -1))))

        ;; Bytes inside strings, opening quote included and closing quote excluded.
        (local.set $strings (local.get $quote))
        (local.set $strings (i64.xor (local.get $strings) (i64.shl (local.get $strings) (i64.const 1))))
        (local.set $strings (i64.xor (local.get $strings) (i64.shl (local.get $strings) (i64.const 2))))
        (local.set $strings (i64.xor (local.get $strings) (i64.shl (local.get $strings) (i64.const 4))))
        (local.set $strings (i64.xor (local.get $strings) (i64.shl (local.get $strings) (i64.const 8))))
        (local.set $strings (i64.xor (local.get $strings) (i64.shl (local.get $strings) (i64.const 16))))
        (local.set $strings (i64.xor (local.get $strings) (i64.shl (local.get $strings) (i64.const 32))))
        (local.set $strings (i64.xor (local.get $strings) (local.get $inside)))

        (if (i64.ne
              (i64.or
                (i64.and (local.get $backslash) (i64.xor (local.get $strings) (i64.const -1)))
                (i64.and (local.get $newline) (local.get $strings)))
              (i64.const 0))
          (then
            (i32.store (i32.const 24) (i32.const 3))
            (br $stop)))

        ;; Brackets and newlines outside strings, in order.
        (local.set $events (i64.and (i64.or (local.get $bracket) (local.get $newline)) (i64.xor (local.get $strings) (i64.const -1))))
        (block $visited
          (loop $visit
            (br_if $visited (i64.eqz (local.get $events)))
            (local.set $at (i32.add (local.get $pos) (i32.wrap_i64 (i64.ctz (local.get $events)))))
            (local.set $events (i64.and (local.get $events) (i64.sub (local.get $events) (i64.const 1))))
            (local.set $byte (i32.load8_u offset=256 (local.get $at)))
            (if (i32.eq (local.get $byte) (i32.const 0x0a))
              (then
                (local.set $lines (i32.add (local.get $lines) (i32.const 1)))
                (local.set $lineStart (i32.add (local.get $at) (i32.const 1))))
              (else
                (if (i32.eq (i32.and (local.get $byte) (i32.const 0x5f)) (i32.const 0x5b))
                  (then
                    (if (i32.and
                          (i32.eq (local.get $byte) (i32.const 0x7b))
                          (i32.le_s (i32.sub (local.get $at) (local.get $lineStart)) (local.get $column)))
                      (then
                        (local.set $pos (local.get $at))
                        (local.set $inside (i64.const 0))
                        (local.set $escapedIn (i64.const 0))
                        (i32.store (i32.const 24) (i32.const 2))
                        (br $stop)))
                    (local.set $depth (i32.add (local.get $depth) (i32.const 1)))
                    (if (i32.le_u (local.get $depth) (i32.const 64))
                      (then (i32.store8 offset=64 (local.get $depth) (local.get $byte))))
                    (if (i32.gt_u (local.get $depth) (local.get $deepest))
                      (then (local.set $deepest (local.get $depth)))))
                  (else
                    (local.set $depth (i32.sub (local.get $depth) (i32.const 1)))
                    (if (i32.eqz (local.get $depth))
                      (then
                        (local.set $pos (i32.add (local.get $at) (i32.const 1)))
                        (local.set $inside (i64.const 0))
                        (local.set $escapedIn (i64.const 0))
                        (i32.store (i32.const 24) (i32.const 1))
                        (br $stop)))))))
            (br $visit)))

        (local.set $inside (i64.shr_s (local.get $strings) (i64.const 63)))
        (local.set $escapedIn (local.get $escapedOut))
        (local.set $pos (i32.add (local.get $pos) (i32.const 64)))
        (br $blocks)))

    (i32.store (i32.const 0) (local.get $depth))
    (i32.store (i32.const 4) (i32.wrap_i64 (i64.and (local.get $inside) (i64.const 1))))
    (i32.store (i32.const 8) (i32.wrap_i64 (local.get $escapedIn)))
    (i32.store (i32.const 12) (local.get $lines))
    (i32.store (i32.const 16) (local.get $lineStart))
    (i32.store (i32.const 28) (local.get $deepest))
    (local.get $pos))
)
