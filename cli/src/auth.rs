//! `kyso auth challenge | sign | verify`: certificate-based login (kyso::auth) from the
//! command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Subcommand, ValueEnum};
use kyso::auth::{AuthError, Authenticator, Challenge, Form, MemoryNonceStore};
use kyso::report::Lang;
use kyso::{crypto, Time};

use crate::options::{policy, verifier, PolicyArgs, TrustArgs};
use crate::sign::KeyArgs;
use crate::verify::{language, LangArg};

#[derive(Subcommand)]
pub enum AuthCommand {
    /// Issue a challenge for a relying party and print it (JSON).
    Challenge {
        /// The relying party's origin or audience (https://dichvucong.gov.vn).
        #[arg(long)]
        audience: String,
        /// How long a response is accepted, in seconds (at most 3600).
        #[arg(long, default_value_t = 300)]
        ttl: i64,
        /// What the user is asked to approve, shown by the signing software.
        #[arg(long)]
        purpose: Option<String>,
    },
    /// Sign a challenge (a file, or - for standard input) with a key file, a PKCS#12 file or
    /// a PKCS#11 token, in the form the relying party expects.
    Sign(SignArgs),
    /// Check a response to a challenge: its signature, the certificate's path to either
    /// hierarchy now and its revocation, its key usage. Exit status: 0 accepted, 1 refused,
    /// 2 an error (unreadable input).
    Verify(VerifyArgs),
}

#[derive(Clone, Copy, ValueEnum)]
pub enum FormArg {
    /// A signature over SHA-256 of the challenge with the certificate, in a JSON object.
    Raw,
    /// A detached CMS / CAdES signature (DER).
    Cms,
    /// A compact JWS with the certificate in x5c.
    Jws,
}

#[derive(Args)]
pub struct SignArgs {
    /// The challenge's JSON file (- for standard input).
    challenge: PathBuf,
    /// The response's form.
    #[arg(long, value_enum)]
    form: FormArg,
    #[command(flatten)]
    keys: KeyArgs,
    /// Write the response here (default: standard output).
    #[arg(long, short)]
    output: Option<PathBuf>,
}

#[derive(Args)]
pub struct VerifyArgs {
    /// The challenge's JSON file.
    challenge: PathBuf,
    /// The response (raw JSON, JWS, or CMS in DER, PEM or base64).
    response: PathBuf,
    /// The audience this relying party is.
    #[arg(long)]
    audience: String,
    #[command(flatten)]
    trust: TrustArgs,
    #[command(flatten)]
    policy: PolicyArgs,
    /// Print the result as JSON (schema kyso.auth/1).
    #[arg(long)]
    json: bool,
    /// Language of the text: vi or en (default: the locale's).
    #[arg(long, value_enum)]
    lang: Option<LangArg>,
}

fn read(p: &PathBuf) -> Result<Vec<u8>, String> {
    if p.as_os_str() == "-" {
        let mut v = Vec::new();
        std::io::Read::read_to_end(&mut std::io::stdin(), &mut v).map_err(|e| format!("standard input: {e}"))?;
        return Ok(v);
    }
    std::fs::read(p).map_err(|e| format!("{}: {e}", p.display()))
}

fn challenge_of(p: &PathBuf) -> Result<Challenge, String> {
    let bytes = read(p)?;
    Challenge::from_json(&String::from_utf8_lossy(&bytes)).map_err(|e| e.to_string())
}

pub fn run(command: AuthCommand) -> Result<ExitCode, String> {
    match command {
        AuthCommand::Challenge { audience, ttl, purpose } => {
            let c = Challenge::issue(&audience, ttl, purpose.as_deref(), Time::now()).map_err(|e| e.to_string())?;
            println!("{}", c.to_json());
            Ok(ExitCode::SUCCESS)
        }
        AuthCommand::Sign(a) => {
            let challenge = challenge_of(&a.challenge)?;
            let (signer, mut chain) = a.keys.signer()?;
            for p in &a.keys.chain {
                chain.extend(crate::options::read_certs(p)?);
            }
            let form = match a.form {
                FormArg::Raw => Form::Raw,
                FormArg::Cms => Form::Cms,
                FormArg::Jws => Form::Jws,
            };
            let out = kyso::auth::respond(&challenge, form, signer.as_ref(), &chain, crypto::default_provider())
                .map_err(|e| e.to_string())?;
            match &a.output {
                Some(p) => std::fs::write(p, &out).map_err(|e| format!("{}: {e}", p.display()))?,
                None => std::io::Write::write_all(&mut std::io::stdout(), &out).map_err(|e| e.to_string())?,
            }
            Ok(ExitCode::SUCCESS)
        }
        AuthCommand::Verify(a) => verify(a),
    }
}

fn verify(a: VerifyArgs) -> Result<ExitCode, String> {
    let challenge = challenge_of(&a.challenge)?;
    let response = read(&a.response)?;
    let v = verifier(&a.trust, &a.policy, policy(&a.policy).build())?;
    let nonces = MemoryNonceStore::new();
    let auth = Authenticator::new(v, &a.audience, &nonces);
    let lang = language(a.lang);
    match auth.verify(&challenge, &response, Time::now()) {
        Ok(who) => {
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&who.to_json()).map_err(|e| e.to_string())?
                );
            } else {
                let name = who.identity.common_name.clone().unwrap_or_default();
                let ids: Vec<String> = who
                    .identity
                    .ids
                    .iter()
                    .map(|i| format!("{}:{}", i.kind.prefix(), i.value))
                    .collect();
                let (head, by, in_h) = match lang {
                    Lang::Vi => ("CHẤP NHẬN", "cấp bởi", "hệ thống"),
                    Lang::En => ("ACCEPTED", "issued by", "hierarchy"),
                };
                println!(
                    "{head}: {name} [{}], {by} {}, {in_h} {}",
                    ids.join(", "),
                    who.issuing_ca.unwrap_or_default(),
                    who.hierarchy.unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(AuthError::Malformed(why)) => Err(format!("the response cannot be read: {why}")),
        Err(e) => {
            if a.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&e.to_json()).map_err(|e| e.to_string())?
                );
            } else {
                let head = match lang {
                    Lang::Vi => "TỪ CHỐI",
                    Lang::En => "REFUSED",
                };
                println!("{head}: {e}");
            }
            Ok(ExitCode::from(1))
        }
    }
}
