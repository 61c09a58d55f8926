//! Validate a certificate's path to either Vietnamese hierarchy (RFC 5280 with the named
//! Vietnamese tolerances, or RFC 5280 as written with `--strict`) and say which hierarchy it
//! chains to.
//!
//! ```sh
//! cargo run --example verify_chain -- ../shared/vn-trust/raw-p7b/VNPT-CA_SHA2.p7b [--strict]
//! ```

use kyso::report::Indication;
use kyso::{load_certificates, Policy, TrustStore, Verifier, When};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let policy = if args.iter().any(|a| a == "--strict") {
        Policy::strict()
    } else {
        Policy::vietnam()
    };
    let Some(file) = args.iter().find(|a| !a.starts_with("--")) else {
        eprintln!("usage: verify_chain CERTIFICATES [--strict]");
        return 2.into();
    };
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file}: {e}"));
    // DER, PEM, bare base64 or a .p7b bundle (BER too): the first certificate is the leaf.
    let certs = match load_certificates(&bytes) {
        Ok(c) if !c.is_empty() => c,
        Ok(_) => {
            eprintln!("{file}: no certificate");
            return 2.into();
        }
        Err(e) => {
            eprintln!("{file}: {e}");
            return 2.into();
        }
    };
    let verifier = Verifier::new(TrustStore::vietnam(), policy);
    let report = verifier.verify_chain(&certs[0], &certs[1..], When::default());
    let s = &report.signatures[0];
    println!("{}: {}", certs[0].subject(), report.indication.id());
    match (&s.hierarchy, &report.reason) {
        (Some(h), None) => println!("chains to the {h} hierarchy"),
        (_, Some(why)) => println!("{}", why.en),
        _ => {}
    }
    if report.indication == Indication::TotalPassed {
        0.into()
    } else {
        1.into()
    }
}
