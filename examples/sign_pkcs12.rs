//! Sign a file as detached CAdES B-B with the key and certificate of a PKCS#12 file
//! (.p12/.pfx), after checking the certificate against both Vietnamese hierarchies, then
//! verify the result.
//!
//! ```sh
//! KYSO_P12_PASSWORD=… cargo run --example sign_pkcs12 -- me.p12 hd.xml hd.xml.p7s
//! ```

use kyso::sign::{SignOptions, SoftwareSigner};
use kyso::{crypto, Content, Time, TrustStore, Verifier};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [p12, input, output] = args.as_slice() else {
        return Err("usage: sign_pkcs12 FILE.p12 INPUT OUTPUT.p7s (password in KYSO_P12_PASSWORD)".into());
    };
    let password = std::env::var("KYSO_P12_PASSWORD").unwrap_or_default();
    let (signer, chain) = SoftwareSigner::from_pkcs12(&std::fs::read(p12)?, &password)?;
    let now = Time::now();
    let mut options = SignOptions::new(now);
    options.detached = true;
    options.chain = chain;
    // Refuse to sign with a certificate that does not chain to either hierarchy.
    options.check_against = Some((
        TrustStore::vietnam(),
        kyso::Policy::vietnam().path_options(now, Default::default()),
    ));
    let document = std::fs::read(input)?;
    let signature = kyso::sign::sign(
        kyso::sign::Content::Bytes(&document),
        &signer,
        &options,
        crypto::default_provider(),
    )?;
    std::fs::write(output, &signature)?;
    let report = Verifier::vietnam().verify(&signature, Content::Bytes(&document))?;
    println!("{output}: {}", report.indication.id());
    Ok(())
}
