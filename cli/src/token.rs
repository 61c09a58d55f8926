//! `kyso token list` and the token source of `kyso sign`.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;
use kyso::token::{self, KeyPair, Module, Pin, TokenInfo, TokenSigner};

/// Which module and token to use.
#[derive(Args, Clone)]
pub struct TokenArgs {
    /// The PKCS#11 module (default: the first known module found on this machine).
    #[arg(long, value_name = "PATH")]
    pub module: Option<PathBuf>,
    /// The token's label (default: the first token present).
    #[arg(long, value_name = "LABEL")]
    pub token: Option<String>,
    /// Environment variable holding the user PIN (never on the command line).
    #[arg(long, value_name = "VAR")]
    pub pin_env: Option<String>,
    /// Try the PIN even when the token is at its final try (a wrong PIN then locks it).
    #[arg(long)]
    pub force_pin: bool,
}

impl TokenArgs {
    pub fn module(&self) -> Result<Module, String> {
        let path = match &self.module {
            Some(p) => p.clone(),
            None => token::discover()
                .into_iter()
                .next()
                .ok_or("no PKCS#11 module found; give --module PATH")?,
        };
        Module::open(&path).map_err(|e| e.to_string())
    }

    pub fn pin(&self) -> Result<Option<Pin>, String> {
        match &self.pin_env {
            Some(var) => std::env::var(var)
                .map(|p| Some(Pin::new(p)))
                .map_err(|_| format!("--pin-env {var}: the variable is not set")),
            None => Ok(None),
        }
    }

    /// Log in and pick the key for signing.
    pub fn signer(&self, key_id: Option<&str>, pss: bool) -> Result<TokenSigner, String> {
        let module = self.module()?;
        let pin = self.pin()?.ok_or("signing on a token needs --pin-env VAR")?;
        let id = match key_id {
            Some(h) => Some(hex::decode(h.trim_start_matches("0x")).map_err(|e| format!("--key-id {h}: {e}"))?),
            None => None,
        };
        TokenSigner::open(&module, self.token.as_deref(), id.as_deref(), &pin, self.force_pin, pss)
            .map_err(|e| e.to_string())
    }
}

#[derive(Args)]
pub struct ListArgs {
    #[command(flatten)]
    token: TokenArgs,
    /// Print JSON (schema kyso.tokens/1).
    #[arg(long)]
    json: bool,
}

#[derive(serde::Serialize)]
struct Listed {
    #[serde(flatten)]
    info: TokenInfo,
    /// Key pairs: listed when a PIN was given, or when the token shows them without login.
    keys: Option<Vec<KeyPair>>,
    /// Why the keys could not be listed.
    error: Option<String>,
}

#[derive(serde::Serialize)]
struct Report {
    schema: &'static str,
    /// Known modules found on this machine (the search of `--module`'s default).
    found: Vec<String>,
    module: String,
    tokens: Vec<Listed>,
}

/// List tokens of a module and, with a PIN, their keys and certificates.
pub fn list(a: ListArgs) -> Result<ExitCode, String> {
    let module = a.token.module()?;
    let pin = a.token.pin()?;
    let mut tokens = Vec::new();
    for info in module.tokens().map_err(|e| e.to_string())? {
        if a.token.token.as_deref().is_some_and(|l| l != info.label) {
            continue;
        }
        // Without a PIN, keys are listed only when the token needs no login.
        let use_pin = pin.as_ref().filter(|_| info.login_required);
        let (keys, error) = if info.login_required && pin.is_none() {
            (None, None)
        } else {
            match module.pairs(Some(&info.label), use_pin, a.token.force_pin) {
                Ok(k) => (Some(k), None),
                Err(e) => (None, Some(e.to_string())),
            }
        };
        tokens.push(Listed { info, keys, error });
    }
    let report = Report {
        schema: "kyso.tokens/1",
        found: token::discover().iter().map(|p| p.display().to_string()).collect(),
        module: module.path().display().to_string(),
        tokens,
    };
    if a.json {
        println!("{}", serde_json::to_string_pretty(&report).map_err(|e| e.to_string())?);
        return Ok(ExitCode::SUCCESS);
    }
    for f in &report.found {
        println!("Found        {f}");
    }
    println!("Module       {}", report.module);
    if report.tokens.is_empty() {
        println!("             no token");
    }
    for t in &report.tokens {
        println!(
            "Token        {} (slot {}, serial {}, {} {})",
            t.info.label, t.info.slot, t.info.serial, t.info.manufacturer, t.info.model
        );
        println!("             PIN {:?}", t.info.pin_state);
        if let Some(e) = &t.error {
            println!("             keys not listed: {e}");
        }
        match &t.keys {
            None if t.error.is_none() => println!("             keys: give --pin-env VAR to list them"),
            None => {}
            Some(keys) if keys.is_empty() => println!("             no private key"),
            Some(keys) => {
                for k in keys {
                    println!(
                        "  key id {}  {}  {}",
                        k.id,
                        k.key,
                        k.subject.as_deref().unwrap_or("(no certificate)")
                    );
                    if let Some(h) = &k.hierarchy {
                        println!("             hierarchy {h}");
                    }
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}
