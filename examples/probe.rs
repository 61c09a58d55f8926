fn main() {
    for p in std::env::args().skip(1) {
        let b = std::fs::read(&p).unwrap();
        match kyso::load(&b) {
            Ok(l) => {
                println!("{p}: {:?} ber={} n={}", l.format, l.ber, l.certificates.len());
                for c in &l.certificates {
                    println!("   {} | {} | {:?} | {:?}", c.sha256_hex(), c.subject(), c.signature_algorithm().map(|a| a.name()), c.public_key().map(|k| k.describe()));
                }
            }
            Err(e) => println!("{p}: ERROR {e}"),
        }
    }
}
