//! The timing loop the benches share with their peers' loops: the mean time of one call in
//! nanoseconds over `iterations`, after one call to warm up.

use std::time::Instant;

/// The mean time of `f` in nanoseconds over `iterations` calls.
pub fn per_doc(iterations: u32, mut f: impl FnMut()) -> f64 {
    f();
    let t = Instant::now();
    for _ in 0..iterations {
        f();
    }
    t.elapsed().as_nanos() as f64 / f64::from(iterations)
}
