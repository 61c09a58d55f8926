//! Certificate policy processing: RFC 5280 §6.1 steps (d)–(f), §6.1.4 (a)–(b), (h)–(j) and
//! §6.1.5 (a)–(b), (g), with the valid_policy_graph of RFC 9618 in place of the tree (a node
//! may have several parents, so the work stays linear however policies are mapped).

use crate::cert::Certificate;
use crate::oid::{self, Oid};

/// The RFC 5280 §6.1.1 policy inputs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicySettings {
    /// user-initial-policy-set (empty or containing anyPolicy means any policy).
    pub initial_policy_set: Vec<Oid>,
    /// initial-explicit-policy.
    pub initial_explicit_policy: bool,
    /// initial-policy-mapping-inhibit.
    pub initial_policy_mapping_inhibit: bool,
    /// initial-any-policy-inhibit.
    pub initial_any_policy_inhibit: bool,
}

impl Default for PolicySettings {
    /// Any policy, nothing required or inhibited (RFC 5280's and PKITS's defaults).
    fn default() -> Self {
        PolicySettings {
            initial_policy_set: Vec::new(),
            initial_explicit_policy: false,
            initial_policy_mapping_inhibit: false,
            initial_any_policy_inhibit: false,
        }
    }
}

impl PolicySettings {
    fn any(&self) -> bool {
        self.initial_policy_set.is_empty() || self.initial_policy_set.iter().any(|p| *p == oid::ANY_POLICY)
    }
}

/// Why policy processing failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PolicyFailure {
    /// (f) / wrap-up: an explicit policy is required and none is valid for the path.
    NoValidPolicy,
    /// §6.1.4 (a): a mapping to or from anyPolicy.
    MapsAnyPolicy,
}

#[derive(Debug, Clone)]
struct Node {
    valid_policy: Oid,
    expected: Vec<Oid>,
    parents: Vec<usize>,
}

/// The state carried from certificate to certificate.
pub(super) struct PolicyState {
    /// Levels 0..=i of the graph; `None` once the graph is NULL.
    graph: Option<Vec<Vec<Node>>>,
    explicit_policy: usize,
    inhibit_any_policy: usize,
    policy_mapping: usize,
}

fn any() -> Oid {
    Oid::from_der_contents(oid::ANY_POLICY)
}

impl PolicyState {
    /// §6.1.2 initialisation for a path of `n` certificates (anchor excluded).
    pub fn new(settings: &PolicySettings, n: usize) -> Self {
        let init = |flag: bool| if flag { 0 } else { n + 1 };
        PolicyState {
            graph: Some(vec![vec![Node {
                valid_policy: any(),
                expected: vec![any()],
                parents: Vec::new(),
            }]]),
            explicit_policy: init(settings.initial_explicit_policy),
            inhibit_any_policy: init(settings.initial_any_policy_inhibit),
            policy_mapping: init(settings.initial_policy_mapping_inhibit),
        }
    }

    /// §6.1.3 (d)–(f) for certificate `i` (1-based from the anchor) of `n`.
    pub fn process(&mut self, cert: &Certificate, i: usize, n: usize) -> Result<(), PolicyFailure> {
        let self_issued = cert.is_self_issued();
        match (&cert.extensions().certificate_policies, self.graph.as_mut()) {
            (Some(policies), Some(graph)) => {
                let prev = graph.last().cloned().unwrap_or_default();
                let mut level: Vec<Node> = Vec::new();
                let mut has_any = false;
                // (d)(1)
                for pi in policies {
                    if pi.policy == oid::ANY_POLICY {
                        has_any = true;
                        continue;
                    }
                    let parents: Vec<usize> = (0..prev.len())
                        .filter(|&j| prev[j].expected.contains(&pi.policy))
                        .collect();
                    let parents = if parents.is_empty() {
                        (0..prev.len())
                            .filter(|&j| prev[j].valid_policy == oid::ANY_POLICY)
                            .collect()
                    } else {
                        parents
                    };
                    if !parents.is_empty() && !level.iter().any(|x| x.valid_policy == pi.policy) {
                        level.push(Node {
                            valid_policy: pi.policy.clone(),
                            expected: vec![pi.policy.clone()],
                            parents,
                        });
                    }
                }
                // (d)(2)
                if has_any && (self.inhibit_any_policy > 0 || (i < n && self_issued)) {
                    let mut seen: Vec<Oid> = Vec::new();
                    for p in prev.iter().flat_map(|x| x.expected.iter()) {
                        if seen.contains(p) || level.iter().any(|x| &x.valid_policy == p) {
                            continue;
                        }
                        seen.push(p.clone());
                        let parents: Vec<usize> = (0..prev.len()).filter(|&j| prev[j].expected.contains(p)).collect();
                        level.push(Node {
                            valid_policy: p.clone(),
                            expected: vec![p.clone()],
                            parents,
                        });
                    }
                }
                graph.push(level);
                // (d)(3)–(4)
                prune(graph);
                if graph.last().is_none_or(Vec::is_empty) {
                    self.graph = None;
                }
            }
            // (e)
            (None, _) => self.graph = None,
            (Some(_), None) => {}
        }
        // (f)
        if self.explicit_policy == 0 && self.graph.is_none() {
            return Err(PolicyFailure::NoValidPolicy);
        }
        Ok(())
    }

    /// §6.1.4 (a)–(b), (h)–(j) after certificate `cert`, an intermediate.
    pub fn prepare_next(&mut self, cert: &Certificate) -> Result<(), PolicyFailure> {
        let ext = cert.extensions();
        if let Some(maps) = &ext.policy_mappings {
            // (a)
            if maps.iter().any(|(a, b)| *a == oid::ANY_POLICY || *b == oid::ANY_POLICY) {
                return Err(PolicyFailure::MapsAnyPolicy);
            }
            if let Some(graph) = self.graph.as_mut() {
                let mut issuer_policies: Vec<&Oid> = Vec::new();
                for (a, _) in maps {
                    if !issuer_policies.contains(&a) {
                        issuer_policies.push(a);
                    }
                }
                let depth = graph.len() - 1;
                for id_p in issuer_policies {
                    let mapped: Vec<Oid> = maps.iter().filter(|(a, _)| a == id_p).map(|(_, b)| b.clone()).collect();
                    if self.policy_mapping > 0 {
                        // (b)(1)
                        let level = &mut graph[depth];
                        if let Some(node) = level.iter_mut().find(|x| &x.valid_policy == id_p) {
                            node.expected = mapped;
                        } else if let Some(any_node) = level.iter().find(|x| x.valid_policy == oid::ANY_POLICY) {
                            let parents = any_node.parents.clone();
                            level.push(Node {
                                valid_policy: id_p.clone(),
                                expected: mapped,
                                parents,
                            });
                        }
                    } else {
                        // (b)(2)
                        graph[depth].retain(|x| &x.valid_policy != id_p);
                    }
                }
                // Deleting nodes at depth i changes indices only there; re-link by pruning.
                prune(graph);
                if graph.last().is_none_or(Vec::is_empty) {
                    self.graph = None;
                }
            }
        }
        if !cert.is_self_issued() {
            // (h)
            self.explicit_policy = self.explicit_policy.saturating_sub(1);
            self.policy_mapping = self.policy_mapping.saturating_sub(1);
            self.inhibit_any_policy = self.inhibit_any_policy.saturating_sub(1);
        }
        // (i)
        if let Some(pc) = ext.policy_constraints {
            if let Some(r) = pc.require_explicit_policy {
                self.explicit_policy = self.explicit_policy.min(r as usize);
            }
            if let Some(m) = pc.inhibit_policy_mapping {
                self.policy_mapping = self.policy_mapping.min(m as usize);
            }
        }
        // (j)
        if let Some(s) = ext.inhibit_any_policy {
            self.inhibit_any_policy = self.inhibit_any_policy.min(s as usize);
        }
        Ok(())
    }

    /// §6.1.5 (a)–(b), (g): wrap-up on the leaf. Returns the user-constrained policy set
    /// (`[anyPolicy]` when any policy is acceptable).
    pub fn wrap_up(mut self, leaf: &Certificate, settings: &PolicySettings) -> Result<Vec<Oid>, PolicyFailure> {
        // (a)
        self.explicit_policy = self.explicit_policy.saturating_sub(1);
        // (b)
        if leaf
            .extensions()
            .policy_constraints
            .is_some_and(|pc| pc.require_explicit_policy == Some(0))
        {
            self.explicit_policy = 0;
        }
        // (g) the authority-constrained policy set: the policies of nodes whose parents are all
        // anyPolicy (the first specific policy of each branch, in the anchor's domain), and
        // anyPolicy itself when an all-anyPolicy branch reaches the leaf.
        let authority: Vec<Oid> = match &self.graph {
            None => Vec::new(),
            Some(graph) => {
                let mut set: Vec<Oid> = Vec::new();
                for (d, level) in graph.iter().enumerate().skip(1) {
                    let prev = &graph[d - 1];
                    for node in level {
                        let under_any = node
                            .parents
                            .iter()
                            .all(|&p| prev.get(p).is_some_and(|x| x.valid_policy == oid::ANY_POLICY));
                        let specific = node.valid_policy != oid::ANY_POLICY;
                        let leaf_any = d == graph.len() - 1 && !specific && under_any;
                        if (under_any && specific || leaf_any) && !set.contains(&node.valid_policy) {
                            set.push(node.valid_policy.clone());
                        }
                    }
                }
                set
            }
        };
        let user: Vec<Oid> = if settings.any() {
            authority
        } else if authority.iter().any(|p| *p == oid::ANY_POLICY) {
            settings.initial_policy_set.clone()
        } else {
            authority
                .into_iter()
                .filter(|p| settings.initial_policy_set.contains(p))
                .collect()
        };
        // RFC 9618 §6.1.5 (h): success when explicit_policy > 0 or the set is not empty.
        if self.explicit_policy == 0 && user.is_empty() {
            return Err(PolicyFailure::NoValidPolicy);
        }
        Ok(user)
    }
}

/// Remove, from the deepest level but one upwards, nodes with no child; then re-index parents.
fn prune(graph: &mut [Vec<Node>]) {
    for d in (0..graph.len().saturating_sub(1)).rev() {
        let (upper, lower) = graph.split_at_mut(d + 1);
        let (Some(level), Some(children)) = (upper.last_mut(), lower.first_mut()) else {
            continue;
        };
        let keep: Vec<bool> = (0..level.len())
            .map(|j| children.iter().any(|c| c.parents.contains(&j)))
            .collect();
        let mut new_index = vec![usize::MAX; level.len()];
        let mut next = 0;
        for (j, k) in keep.iter().enumerate() {
            if *k {
                new_index[j] = next;
                next += 1;
            }
        }
        let mut j = 0;
        level.retain(|_| {
            let k = keep[j];
            j += 1;
            k
        });
        for c in children.iter_mut() {
            c.parents = c
                .parents
                .iter()
                .filter_map(|p| new_index.get(*p).copied().filter(|x| *x != usize::MAX))
                .collect();
        }
    }
}
