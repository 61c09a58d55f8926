//! What a verification checks and how strictly: one immutable [`Policy`], built once and shared
//! by every verification a [`crate::Verifier`] makes.
//!
//! A policy is fixed data — accepted algorithms and their legacy cut-offs, the named Vietnamese
//! tolerances, the RFC 5280 certificate-profile rules, the revocation mode, the time model, the
//! search budget and what the leaf must allow. What changes from one call to the next (the time
//! judged, the evidence, the content) is not in it.
//!
//! Two policies are ready-made: [`Policy::vietnam`], the default, which accepts exactly the
//! deviations real Vietnamese certificates need, each by its name; and [`Policy::strict`],
//! RFC 5280 as written. [`Policy::builder`] starts from either and changes what a caller needs.

use serde::Serialize;

use crate::crypto::AlgorithmPolicy;
use crate::oid::Oid;
use crate::path::{Budget, LeafKeyUsage, PathOptions, PolicySettings, ProfileChecks, TimeModel, Tolerances};
use crate::revocation::{RevocationEvidence, RevocationMode, RevocationOptions};
use crate::time::Time;

/// Which ready-made policy a [`Policy`] started from (named in the report and on the
/// command line as `--profile`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// [`Policy::vietnam`]: RFC 5280 with the named tolerances real Vietnamese certificates
    /// need, judged at the signing time (chain model).
    Vietnam,
    /// [`Policy::strict`]: RFC 5280 as written — every certificate-profile rule, no tolerance,
    /// the shell model.
    Strict,
}

impl Profile {
    /// `vietnam` or `strict`.
    pub fn id(self) -> &'static str {
        match self {
            Profile::Vietnam => "vietnam",
            Profile::Strict => "strict",
        }
    }

    /// The profile a name gives (`vietnam`, `strict`; ASCII case ignored).
    pub fn from_id(s: &str) -> Option<Profile> {
        match s.to_ascii_lowercase().as_str() {
            "vietnam" | "vn" => Some(Profile::Vietnam),
            "strict" | "rfc5280" => Some(Profile::Strict),
            _ => None,
        }
    }
}

/// An immutable verification policy. Cheap to clone; build it once.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Policy {
    profile: Profile,
    algorithms: AlgorithmPolicy,
    tolerances: Tolerances,
    profile_checks: ProfileChecks,
    revocation: RevocationMode,
    model: TimeModel,
    budget: Budget,
    leaf_key_usage: LeafKeyUsage,
    required_eku: Vec<Oid>,
    policy_set: PolicySettings,
    timestamps: bool,
}

impl Default for Policy {
    /// [`Policy::vietnam`].
    fn default() -> Self {
        Policy::vietnam()
    }
}

impl Policy {
    /// The Vietnam policy, kyso's default: SHA-2 and RSA ≥ 2048 (Circular 15/2025), every
    /// RFC 5280 certificate-profile rule except those real Vietnamese certificates break, each
    /// of those accepted by its name ([`Tolerances::VIETNAM`]) and reported; revocation
    /// soft-fail; each signature judged at its signing time in the chain model; document
    /// signing key usage on the leaf.
    pub fn vietnam() -> Policy {
        Policy {
            profile: Profile::Vietnam,
            algorithms: AlgorithmPolicy::STRICT,
            tolerances: Tolerances::VIETNAM,
            profile_checks: ProfileChecks::VIETNAM,
            revocation: RevocationMode::Soft,
            model: TimeModel::Chain,
            budget: Budget::default(),
            leaf_key_usage: LeafKeyUsage::DigitalSignatureOrNonRepudiation,
            required_eku: Vec::new(),
            policy_set: PolicySettings::default(),
            timestamps: true,
        }
    }

    /// RFC 5280 as written: every certificate-profile rule of §4 ([`ProfileChecks::RFC5280`]),
    /// no tolerance, the shell model; otherwise as [`Policy::vietnam`].
    pub fn strict() -> Policy {
        Policy {
            profile: Profile::Strict,
            tolerances: Tolerances::NONE,
            profile_checks: ProfileChecks::RFC5280,
            model: TimeModel::Shell,
            ..Policy::vietnam()
        }
    }

    /// The ready-made policy of a profile.
    pub fn of(profile: Profile) -> Policy {
        match profile {
            Profile::Vietnam => Policy::vietnam(),
            Profile::Strict => Policy::strict(),
        }
    }

    /// A builder starting from [`Policy::vietnam`].
    pub fn builder() -> PolicyBuilder {
        PolicyBuilder(Policy::vietnam())
    }

    /// A builder starting from this policy.
    pub fn to_builder(&self) -> PolicyBuilder {
        PolicyBuilder(self.clone())
    }

    /// The ready-made policy this one started from.
    pub fn profile(&self) -> Profile {
        self.profile
    }

    /// Accepted algorithms.
    pub fn algorithms(&self) -> AlgorithmPolicy {
        self.algorithms
    }

    /// The named tolerances.
    pub fn tolerances(&self) -> Tolerances {
        self.tolerances
    }

    /// The RFC 5280 certificate-profile rules checked.
    pub fn profile_checks(&self) -> ProfileChecks {
        self.profile_checks
    }

    /// What a certificate without usable revocation evidence does.
    pub fn revocation(&self) -> RevocationMode {
        self.revocation
    }

    /// How validity periods are judged.
    pub fn time_model(&self) -> TimeModel {
        self.model
    }

    /// Whether signature time-stamps (B-T) are verified.
    pub fn timestamps(&self) -> bool {
        self.timestamps
    }

    /// The path-validation settings of this policy at `time`, with `evidence`.
    pub fn path_options(&self, time: Time, evidence: std::sync::Arc<RevocationEvidence>) -> PathOptions {
        let mut o = PathOptions::at(time);
        o.algorithms = self.algorithms;
        o.leaf_key_usage = self.leaf_key_usage;
        o.required_eku = self.required_eku.clone();
        o.policy = self.policy_set.clone();
        o.model = self.model;
        o.tolerances = self.tolerances;
        o.profile = self.profile_checks;
        o.revocation = RevocationOptions {
            mode: self.revocation,
            evidence,
        };
        o.budget = self.budget;
        o
    }
}

/// Changes a [`Policy`] before it is fixed.
#[derive(Debug, Clone)]
#[must_use]
pub struct PolicyBuilder(Policy);

impl PolicyBuilder {
    /// Accept SHA-1 and RSA keys of 1024–2047 bits (documents signed under the G1 and MIC
    /// roots before ~2020), each reported as legacy.
    pub fn legacy_algorithms(mut self, allow: bool) -> Self {
        self.0.algorithms = if allow {
            AlgorithmPolicy::LEGACY
        } else {
            AlgorithmPolicy::STRICT
        };
        self
    }

    /// Off, soft-fail or hard-fail revocation.
    pub fn revocation(mut self, mode: RevocationMode) -> Self {
        self.0.revocation = mode;
        self
    }

    /// The time model.
    pub fn time_model(mut self, model: TimeModel) -> Self {
        self.0.model = model;
        self
    }

    /// The named tolerances.
    pub fn tolerances(mut self, t: Tolerances) -> Self {
        self.0.tolerances = t;
        self
    }

    /// The certificate-profile rules.
    pub fn profile_checks(mut self, p: ProfileChecks) -> Self {
        self.0.profile_checks = p;
        self
    }

    /// The path-search budget.
    pub fn budget(mut self, b: Budget) -> Self {
        self.0.budget = b;
        self
    }

    /// What the leaf's keyUsage must allow.
    pub fn leaf_key_usage(mut self, k: LeafKeyUsage) -> Self {
        self.0.leaf_key_usage = k;
        self
    }

    /// Extended key usages the leaf must allow.
    pub fn required_eku(mut self, eku: Vec<Oid>) -> Self {
        self.0.required_eku = eku;
        self
    }

    /// The RFC 5280 §6.1.1 policy inputs.
    pub fn certificate_policies(mut self, p: PolicySettings) -> Self {
        self.0.policy_set = p;
        self
    }

    /// Verify signature time-stamps (on by default).
    pub fn timestamps(mut self, on: bool) -> Self {
        self.0.timestamps = on;
        self
    }

    /// The policy.
    pub fn build(self) -> Policy {
        self.0
    }
}
