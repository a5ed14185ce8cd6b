# A raw implementation whose hello nests two million levels deep: a bound on the answer's depth must
# turn it into one error (its rows), never a crash of the harness.
import sys
for line in sys.stdin:
    if '"hello"' in line:
        sys.stdout.write("[" * 2_000_000 + "]" * 2_000_000 + "\n")
        sys.stdout.flush()
