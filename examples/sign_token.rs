//! Sign a file as detached CAdES B-B on a PKCS#11 token (a VNPT, Viettel, FPT, BKAV… USB
//! token, an HSM, or SoftHSM2): the module is found among the known ones unless named, the
//! PIN comes from `KYSO_PIN`.
//!
//! ```sh
//! KYSO_PIN=… cargo run --features pkcs11 --example sign_token -- hd.xml hd.xml.p7s [MODULE.so]
//! ```

use kyso::sign::SignOptions;
use kyso::token::{discover, Module, Pin, TokenSigner};
use kyso::{crypto, Time};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (input, output) = match args.as_slice() {
        [i, o, ..] => (i, o),
        _ => return Err("usage: sign_token INPUT OUTPUT.p7s [MODULE.so] (PIN in KYSO_PIN)".into()),
    };
    let module_path = match args.get(2) {
        Some(m) => m.into(),
        None => discover().into_iter().next().ok_or("no PKCS#11 module found")?,
    };
    let module = Module::open(&module_path)?;
    let pin = Pin::new(std::env::var("KYSO_PIN").map_err(|_| "set KYSO_PIN")?);
    // The first token, its first key with a certificate; never past the PIN's final try.
    let signer = TokenSigner::open(&module, None, None, &pin, false, false)?;
    let mut options = SignOptions::new(Time::now());
    options.detached = true;
    let signature = kyso::sign::sign(
        kyso::sign::Content::Bytes(&std::fs::read(input)?),
        &signer,
        &options,
        crypto::default_provider(),
    )?;
    std::fs::write(output, signature)?;
    println!("signed {input} on the token of {}", module_path.display());
    Ok(())
}
