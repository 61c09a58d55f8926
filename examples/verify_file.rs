//! Verify a signed file against both Vietnamese hierarchies and print the report in
//! Vietnamese (or English with `--en`).
//!
//! ```sh
//! cargo run --example verify_file -- hd.p7s [hd.xml] [--en]
//! ```
//! Exit status: 0 valid, 1 invalid, 2 indeterminate or unreadable.

use kyso::report::{render, Indication, Lang};
use kyso::{Content, Verifier};

fn main() -> std::process::ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let lang = if args.iter().any(|a| a == "--en") {
        Lang::En
    } else {
        Lang::Vi
    };
    let files: Vec<&String> = args.iter().filter(|a| !a.starts_with("--")).collect();
    let Some(sig) = files.first() else {
        eprintln!("usage: verify_file SIGNATURE [CONTENT] [--en]");
        return 2.into();
    };
    let read = |p: &str| std::fs::read(p).unwrap_or_else(|e| panic!("{p}: {e}"));
    let signature = read(sig);
    let content = files.get(1).map(|c| read(c));
    let verifier = Verifier::vietnam();
    let content = match &content {
        Some(c) => Content::Bytes(c),
        None => Content::Attached,
    };
    match verifier.verify(&signature, content) {
        Ok(report) => {
            print!("{}", render(&report, lang));
            match report.indication {
                Indication::TotalPassed => 0.into(),
                Indication::TotalFailed => 1.into(),
                Indication::Indeterminate => 2.into(),
            }
        }
        Err(e) => {
            eprintln!("{sig}: {e}");
            2.into()
        }
    }
}
