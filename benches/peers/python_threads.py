"""The Python binding on 1 and on 2 threads: ctypes releases the GIL in every call into
libkyso, so two threads verify (nearly) twice as many documents per second as one. A
benchmark, not a test: run it by hand and read the figures (BENCHMARKS.md records them).

    python3 benches/peers/python_threads.py FILE [N]

FILE is a signed file (a PDF, an XML document or a CMS signature with its content attached),
verified N times (default 200) against both Vietnamese hierarchies.
"""

import sys
import threading
import time

import kyso


def run(data, n, threads):
    verifier = kyso.Verifier(kyso.TrustStore.vietnam(), flags=kyso.NO_REVOCATION)
    per = n // threads

    def work():
        for _ in range(per):
            verifier.verify(data)

    pool = [threading.Thread(target=work) for _ in range(threads)]
    start = time.perf_counter()
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    return (time.perf_counter() - start) / (per * threads)


def main():
    data = open(sys.argv[1], "rb").read()
    n = int(sys.argv[2]) if len(sys.argv) > 2 else 200
    run(data, 8, 1)  # warm up
    one = run(data, n, 1)
    two = run(data, n, 2)
    print(f"1 thread: {one * 1e3:.3f} ms per document; 2 threads: {two * 1e3:.3f} ms per document "
          f"({one / two:.2f}x the throughput)")


if __name__ == "__main__":
    main()
