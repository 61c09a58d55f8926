//! What the revisions after a signature changed, each changed object classified
//! conservatively (ISO 32000-2 §12.8.2 DocMDP, ETSI EN 319 142-1 §5.4; the kinds pyHanko's
//! difference analysis and Adobe Reader allow): later signatures and their fields and
//! appearances, DSS and document time-stamps, metadata, form filling and annotations where
//! the certification allows them; any other change to an object the signed revision had —
//! page content, resources, the page tree, a field already signed — is not allowed, and a
//! new object nothing explains is undefined.

use rustc_hash::{FxHashMap as HashMap, FxHashSet as HashSet};
use std::cell::RefCell;
use std::rc::Rc;

use serde::Serialize;

use super::object::{Dict, ObjRef, Object};
use super::{Pdf, PdfError};

/// How far the changes after a signature go, mildest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Modification {
    /// Nothing after the signature.
    None,
    /// Later signatures, signature fields, DSS and document time-stamps, metadata.
    LtaUpdates,
    /// Form fields filled in.
    FormFilling,
    /// Annotations added or changed.
    Annotations,
    /// An object kyso cannot place: neither allowed nor shown to be harmful.
    Undefined,
    /// A change the signature does not permit (page content, resources, pages, a signed
    /// field, the catalog).
    NotAllowed,
}

/// One object a later revision changed, and how it is judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The revision that changed it, counting from 1.
    pub revision: usize,
    /// The object.
    pub object: u32,
    /// What it is (`signature`, `signature field`, `appearance`, `DSS`, `catalog`, `page`,
    /// `form field`, `annotation`, `metadata`, `object`).
    pub what: String,
    /// `added`, `changed` or `deleted`.
    pub how: &'static str,
    /// The class of the change.
    pub class: Modification,
    /// Which keys of a dictionary changed, when that decided the class.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub keys: Vec<String>,
    /// A form field's fully qualified name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

/// The most objects followed when placing changed objects.
const MAX_WALK: usize = 200_000;

/// The changes every revision after `signed` (0-based) made, and their worst class, judged
/// against the certification's DocMDP permission `docmdp` (1, 2 or 3; `None`: an approval
/// signature on a document not certified).
pub fn changes_after(
    pdf: &Pdf<'_>,
    signed: usize,
    docmdp: Option<u8>,
) -> Result<(Vec<Change>, Modification), PdfError> {
    Analysis::new(pdf, docmdp).after(signed)
}

/// The changes of a document's revisions, each revision analysed once however many
/// signatures precede it (a decree signed six times compares each revision once, not once
/// per earlier signature).
pub struct Analysis<'p, 'a> {
    pdf: &'p Pdf<'a>,
    docmdp: Option<u8>,
    revisions: RefCell<HashMap<usize, Result<Vec<Change>, PdfError>>>,
    roles: RefCell<HashMap<usize, Rc<Roles>>>,
    graphs: RefCell<HashMap<usize, Rc<Graph>>>,
    edges: RefCell<HashMap<(usize, usize), Edges>>,
    /// The structure-tree references of each object, by where it lies.
    structure: StructureCache,
}

impl<'p, 'a> Analysis<'p, 'a> {
    /// An analysis of `pdf` under the certification permission `docmdp`.
    pub fn new(pdf: &'p Pdf<'a>, docmdp: Option<u8>) -> Analysis<'p, 'a> {
        Analysis {
            pdf,
            docmdp,
            revisions: RefCell::new(HashMap::default()),
            roles: RefCell::new(HashMap::default()),
            graphs: RefCell::new(HashMap::default()),
            edges: RefCell::new(HashMap::default()),
            structure: RefCell::new(HashMap::default()),
        }
    }

    /// As [`changes_after`].
    pub fn after(&self, signed: usize) -> Result<(Vec<Change>, Modification), PdfError> {
        self.after_locked(signed, None)
    }

    /// As [`changes_after`], for a signature that locks the form fields `lock` (FieldMDP):
    /// a change to one of them is not allowed.
    pub fn after_locked(
        &self,
        signed: usize,
        lock: Option<&super::signature::FieldLock>,
    ) -> Result<(Vec<Change>, Modification), PdfError> {
        let mut out = Vec::new();
        let last = self.pdf.revisions().len().saturating_sub(1);
        for k in signed + 1..=last {
            out.extend(self.revision(k)?);
        }
        if let Some(lock) = lock {
            for c in &mut out {
                if c.what == "form field" && c.field.as_deref().is_some_and(|f| lock.locks(f)) {
                    c.what = "locked form field".into();
                    c.class = Modification::NotAllowed;
                }
            }
        }
        let worst = out.iter().map(|c| c.class).max().unwrap_or(Modification::None);
        Ok((out, worst))
    }

    fn revision(&self, k: usize) -> Result<Vec<Change>, PdfError> {
        if let Some(r) = self.revisions.borrow().get(&k) {
            return r.clone();
        }
        let r = revision_changes(self, k);
        self.revisions.borrow_mut().insert(k, r.clone());
        r
    }

    fn roles(&self, k: usize) -> Result<Rc<Roles>, PdfError> {
        if let Some(r) = self.roles.borrow().get(&k) {
            return Ok(r.clone());
        }
        let r = Rc::new(roles(self.pdf, k, &self.structure)?);
        self.roles.borrow_mut().insert(k, r.clone());
        Ok(r)
    }

    fn graph(&self, k: usize) -> Result<Rc<Graph>, PdfError> {
        if let Some(g) = self.graphs.borrow().get(&k) {
            return Ok(g.clone());
        }
        let g = Rc::new(graph(self.pdf, k, &self.edges)?);
        self.graphs.borrow_mut().insert(k, g.clone());
        Ok(g)
    }
}

/// What each object in revision `k`'s own sections is, as the structure of revision `k` says.
#[derive(Default)]
pub(crate) struct Roles {
    catalog: Option<u32>,
    acroform: Option<u32>,
    info: Option<u32>,
    pages: HashSet<u32>,
    /// Signature fields (and their widgets), with the signature dictionary each names.
    sig_fields: HashMap<u32, Option<u32>>,
    other_fields: HashSet<u32>,
    /// The fully qualified name of each field (and widget) object.
    field_names: HashMap<u32, String>,
    signatures: HashSet<u32>,
    /// Objects reached from the appearance streams of signature widgets.
    appearances: HashSet<u32>,
    /// Objects reached from the appearance streams of the other fields' widgets.
    field_appearances: HashSet<u32>,
    /// Objects reached from the catalog's /Extensions.
    extensions: HashSet<u32>,
    /// Pages' /Annots arrays, when indirect.
    annots_arrays: HashSet<u32>,
    /// The AcroForm's /Fields array, when indirect.
    fields_array: Option<u32>,
    dss: HashSet<u32>,
    annotations: HashSet<u32>,
    metadata: HashSet<u32>,
    /// The logical structure (tags): StructTreeRoot, its elements and parent tree.
    structure: NumSet,
}

/// A set of object numbers: bits for numbers below 2^21 (at most 256 KiB), a hash set for
/// the rest; the structure tree of a tagged document holds thousands, walked per revision.
#[derive(Debug, Default)]
struct NumSet {
    bits: Vec<u64>,
    rest: HashSet<u32>,
    len: usize,
}

impl NumSet {
    const DENSE: u32 = 1 << 21;

    fn insert(&mut self, n: u32) -> bool {
        let new = if n < Self::DENSE {
            let (w, b) = ((n / 64) as usize, n % 64);
            if self.bits.len() <= w {
                self.bits.resize(w + 1, 0);
            }
            match self.bits.get_mut(w) {
                Some(word) if *word & (1 << b) == 0 => {
                    *word |= 1 << b;
                    true
                }
                _ => false,
            }
        } else {
            self.rest.insert(n)
        };
        self.len += usize::from(new);
        new
    }

    fn contains(&self, n: &u32) -> bool {
        if *n < Self::DENSE {
            self.bits
                .get((*n / 64) as usize)
                .is_some_and(|w| w & (1 << (*n % 64)) != 0)
        } else {
            self.rest.contains(n)
        }
    }

    fn len(&self) -> usize {
        self.len
    }
}

fn refs_in(o: &Object, out: &mut Vec<ObjRef>) {
    match o {
        Object::Ref(r) => out.push(*r),
        Object::Array(a) => a.iter().for_each(|x| refs_in(x, out)),
        Object::Dict(d) | Object::Stream(d, _) => d.0.iter().for_each(|(_, v)| refs_in(v, out)),
        _ => {}
    }
}

/// Every object reachable from `start` in revision `rev` (bounded).
fn reach(pdf: &Pdf<'_>, rev: usize, start: &Object, into: &mut HashSet<u32>) -> Result<(), PdfError> {
    let mut todo = Vec::new();
    refs_in(start, &mut todo);
    while let Some(r) = todo.pop() {
        if into.len() > MAX_WALK {
            return Err(PdfError::TooLarge {
                what: "objects to compare",
            });
        }
        if !into.insert(r.num) {
            continue;
        }
        if let Some(l) = pdf.get(rev, r)? {
            refs_in(&l.object, &mut todo);
        }
    }
    Ok(())
}

/// The structure-tree references of each object read, by where it lies.
type StructureCache = RefCell<HashMap<(usize, usize), Rc<Vec<ObjRef>>>>;

/// What the structure-tree walk follows from object `r`: a structure element's kids, a
/// number-tree node's entries and kids, an array's items. Read once for every revision that
/// sees `r` where it is.
fn structure_children(pdf: &Pdf<'_>, k: usize, r: ObjRef, cache: &StructureCache) -> Result<Rc<Vec<ObjRef>>, PdfError> {
    let at = pdf.location(k, r.num);
    if let Some(c) = at.and_then(|at| cache.borrow().get(&at).cloned()) {
        return Ok(c);
    }
    let (out, keep) = match pdf.structure_refs(k, r) {
        Some(out) => (out, at.is_some()),
        None => {
            let located = pdf.get(k, r)?;
            let keep = match (&located, at) {
                (Some(l), Some(at)) => at.1 != usize::MAX || l.offset == Some(at.0),
                _ => false,
            };
            let out = located.map(|l| structure_followed(&l.object)).unwrap_or_default();
            (out, keep)
        }
    };
    let out = Rc::new(out);
    if let (true, Some(at)) = (keep, at) {
        cache.borrow_mut().insert(at, out.clone());
    }
    Ok(out)
}

/// What the structure-tree walk follows from an object read (as [`Pdf::structure_refs`]
/// reads it from the bytes).
fn structure_followed(o: &Object) -> Vec<ObjRef> {
    let mut out = Vec::new();
    match o {
        Object::Dict(e) if e.get("S").is_some() || matches!(e.name("Type"), Some(b"StructElem")) => {
            if let Some(v) = e.get("K") {
                refs_in(v, &mut out);
            }
        }
        // Number-tree nodes of the parent tree, and the arrays it maps to.
        Object::Dict(e) if e.get("Nums").is_some() || e.get("Kids").is_some() => {
            for key in ["Nums", "Kids"] {
                if let Some(v) = e.get(key) {
                    refs_in(v, &mut out);
                }
            }
        }
        Object::Array(a) => a.iter().for_each(|x| refs_in(x, &mut out)),
        _ => {}
    }
    out
}

fn roles(pdf: &Pdf<'_>, k: usize, structure: &StructureCache) -> Result<Roles, PdfError> {
    let mut roles = Roles::default();
    let trailer = pdf.revisions().get(k).map(|r| r.trailer.clone()).unwrap_or_default();
    roles.catalog = trailer.get("Root").and_then(Object::as_ref).map(|r| r.num);
    roles.info = trailer.get("Info").and_then(Object::as_ref).map(|r| r.num);
    let catalog = pdf.catalog(k)?;
    roles.acroform = catalog.get("AcroForm").and_then(Object::as_ref).map(|r| r.num);
    if let Some(dss) = catalog.get("DSS") {
        reach(pdf, k, dss, &mut roles.dss)?;
    }
    if let Some(m) = catalog.get("Metadata").and_then(Object::as_ref) {
        roles.metadata.insert(m.num);
    }
    if let Some(x) = catalog.get("Extensions") {
        reach(pdf, k, x, &mut roles.extensions)?;
    }
    // The structure tree: signing software that tags the widget it adds (iText on tagged
    // documents, as the government's signing service does) updates it.
    if let Some(st) = catalog.get("StructTreeRoot") {
        if let Some(r) = st.as_ref() {
            roles.structure.insert(r.num);
        }
        if let Some(d) = pdf.resolve(k, st)?.as_dict() {
            // The elements and the parent tree, not what they point into (pages, content).
            let mut todo: Vec<ObjRef> = Vec::new();
            for key in ["K", "ParentTree", "RoleMap", "ClassMap", "IDTree"] {
                if let Some(v) = d.get(key) {
                    refs_in(v, &mut todo);
                }
            }
            while let Some(r) = todo.pop() {
                if roles.structure.len() > MAX_WALK {
                    return Err(PdfError::TooLarge {
                        what: "structure elements",
                    });
                }
                if !roles.structure.insert(r.num) {
                    continue;
                }
                todo.extend(structure_children(pdf, k, r, structure)?.iter().copied());
            }
        }
    }
    // Pages, and their annotations.
    let mut seen = HashSet::default();
    let mut stack: Vec<Object> = catalog.get("Pages").cloned().into_iter().collect();
    while let Some(node) = stack.pop() {
        if seen.len() > MAX_WALK {
            return Err(PdfError::TooLarge { what: "pages" });
        }
        let Some(r) = node.as_ref() else { continue };
        if !seen.insert(r.num) {
            continue;
        }
        roles.pages.insert(r.num);
        let Some(d) = pdf.get(k, r)?.and_then(|l| l.object.as_dict().cloned()) else {
            continue;
        };
        if let Some(Object::Array(kids)) = d.get("Kids").map(|x| pdf.resolve(k, x)).transpose()? {
            stack.extend(kids);
        }
        if let Some(a) = d.get("Annots") {
            if let Some(r) = a.as_ref() {
                roles.pages.insert(r.num);
                roles.annots_arrays.insert(r.num);
            }
            if let Object::Array(annots) = pdf.resolve(k, a)? {
                roles
                    .annotations
                    .extend(annots.iter().filter_map(Object::as_ref).map(|r| r.num));
            }
        }
    }
    // Form fields.
    if let Some(form) = pdf.dict_at(k, &catalog, "AcroForm")? {
        let mut stack: Vec<(Object, Option<Vec<u8>>, String)> =
            match form.get("Fields").map(|f| pdf.resolve(k, f)).transpose()? {
                Some(Object::Array(f)) => f.into_iter().map(|x| (x, None, String::new())).collect(),
                _ => Vec::new(),
            };
        roles.fields_array = form.get("Fields").and_then(Object::as_ref).map(|r| r.num);
        let mut seen = HashSet::default();
        while let Some((node, ft, parent)) = stack.pop() {
            let Some(r) = node.as_ref() else { continue };
            if !seen.insert(r.num) || seen.len() > MAX_WALK {
                continue;
            }
            let Some(d) = pdf.get(k, r)?.and_then(|l| l.object.as_dict().cloned()) else {
                continue;
            };
            let name = match d.get("T") {
                Some(Object::String(t)) if parent.is_empty() => super::signature::text_string(&t.bytes),
                Some(Object::String(t)) => format!("{parent}.{}", super::signature::text_string(&t.bytes)),
                _ => parent,
            };
            roles.field_names.insert(r.num, name.clone());
            let ft = d.name("FT").map(<[u8]>::to_vec).or(ft);
            if ft.as_deref() == Some(b"Sig") {
                let v = d.get("V").and_then(Object::as_ref).map(|r| r.num);
                roles.sig_fields.insert(r.num, v);
                if let Some(v) = v {
                    roles.signatures.insert(v);
                }
                if let Some(ap) = d.get("AP") {
                    reach(pdf, k, ap, &mut roles.appearances)?;
                }
            } else {
                roles.other_fields.insert(r.num);
                if let Some(ap) = d.get("AP") {
                    reach(pdf, k, ap, &mut roles.field_appearances)?;
                }
            }
            if let Some(Object::Array(kids)) = d.get("Kids").map(|x| pdf.resolve(k, x)).transpose()? {
                if let Some(kr) = d.get("Kids").and_then(Object::as_ref) {
                    roles.other_fields.insert(kr.num);
                }
                stack.extend(kids.into_iter().map(|x| (x, ft.clone(), name.clone())));
            }
        }
    }
    Ok(roles)
}

/// Whether two objects say the same (string offsets and stream positions aside; streams by
/// their raw bytes).
fn same(pdf: &Pdf<'_>, a: &Object, b: &Object) -> bool {
    match (a, b) {
        (Object::String(x), Object::String(y)) => x.bytes == y.bytes,
        (Object::Array(x), Object::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(p, q)| same(pdf, p, q)),
        (Object::Dict(x), Object::Dict(y)) => same_dict(pdf, x, y),
        (Object::Stream(dx, rx), Object::Stream(dy, ry)) => {
            same_dict_but(pdf, dx, dy, &["Length"]) && pdf.bytes().same(rx.clone(), ry.clone())
        }
        (Object::Real(x), Object::Real(y)) => (x - y).abs() < 1e-9,
        (x, y) => x == y,
    }
}

fn same_dict(pdf: &Pdf<'_>, x: &Dict, y: &Dict) -> bool {
    same_dict_but(pdf, x, y, &[])
}

fn same_dict_but(pdf: &Pdf<'_>, x: &Dict, y: &Dict, ignore: &[&str]) -> bool {
    changed_keys(pdf, x, y).iter().all(|k| ignore.contains(&k.as_str()))
}

/// The keys whose values differ between `old` and `new` (added and removed ones too).
fn changed_keys(pdf: &Pdf<'_>, old: &Dict, new: &Dict) -> Vec<String> {
    let mut keys: Vec<&[u8]> = old.keys().chain(new.keys()).collect();
    keys.sort_unstable();
    keys.dedup();
    keys.into_iter()
        .filter(|k| {
            let k = String::from_utf8_lossy(k);
            match (old.get(&k), new.get(&k)) {
                (Some(a), Some(b)) => !same(pdf, a, b),
                (None, None) => false,
                _ => true,
            }
        })
        .map(|k| String::from_utf8_lossy(k).into_owned())
        .collect()
}

fn refs_of(pdf: &Pdf<'_>, rev: usize, o: Option<&Object>) -> Result<Vec<u32>, PdfError> {
    Ok(match o.map(|x| pdf.resolve(rev, x)).transpose()? {
        Some(Object::Array(a)) => a.iter().filter_map(Object::as_ref).map(|r| r.num).collect(),
        _ => Vec::new(),
    })
}

fn revision_changes(a: &Analysis<'_, '_>, k: usize) -> Result<Vec<Change>, PdfError> {
    let (pdf, docmdp) = (a.pdf, a.docmdp);
    let roles = a.roles(k)?;
    // The object graphs (the costly part) are built only when a change needs them.
    let before = Before {
        roles: a.roles(k - 1)?,
        analysis: a,
        k: k - 1,
    };
    let own: Vec<u32> = pdf.revisions().get(k).map(|r| r.objects.clone()).unwrap_or_default();
    let mut out = Vec::new();
    let form_filling = if docmdp == Some(1) {
        Modification::NotAllowed
    } else {
        Modification::FormFilling
    };
    let annotations = match docmdp {
        Some(1 | 2) => Modification::NotAllowed,
        _ => Modification::Annotations,
    };
    let lta = Modification::LtaUpdates;
    // Under DocMDP P=1 only DSS and document time-stamps may follow.
    let signing = if docmdp == Some(1) {
        Modification::NotAllowed
    } else {
        lta
    };
    for num in own {
        if num == 0 {
            continue;
        }
        let new = pdf.get(k, ObjRef { num, gen: 0 })?;
        let old = pdf.get(k - 1, ObjRef { num, gen: 0 })?;
        let how = match (&old, &new) {
            (None, None) => continue,
            (Some(o), Some(n)) if same(pdf, &o.object, &n.object) => continue,
            (None, Some(_)) => "added",
            (Some(_), None) => "deleted",
            (Some(_), Some(_)) => "changed",
        };
        // Containers of other objects: judged by what they contain.
        if let Some(n) = &new {
            if matches!(
                n.object.as_dict().and_then(|d| d.name("Type")),
                Some(b"XRef" | b"ObjStm")
            ) {
                continue;
            }
        }
        let mut change = |what: &str, class: Modification, keys: Vec<String>| {
            out.push(Change {
                revision: k + 1,
                object: num,
                what: what.to_string(),
                how,
                class,
                keys,
                field: None,
            })
        };
        let (old_d, new_d) = (
            old.as_ref()
                .and_then(|l| l.object.as_dict().cloned())
                .unwrap_or_default(),
            new.as_ref()
                .and_then(|l| l.object.as_dict().cloned())
                .unwrap_or_default(),
        );
        if how == "deleted" {
            change("object", Modification::NotAllowed, Vec::new());
        } else if roles.dss.contains(&num) {
            change("DSS", lta, Vec::new());
        } else if roles.signatures.contains(&num) {
            let is_timestamp = new_d.name("Type") == Some(b"DocTimeStamp");
            if how == "added" {
                change(
                    if is_timestamp {
                        "document time-stamp"
                    } else {
                        "signature"
                    },
                    if is_timestamp { lta } else { signing },
                    Vec::new(),
                );
            } else {
                // A signature dictionary rewritten: its value is what an earlier signature was.
                change("signature", Modification::NotAllowed, changed_keys(pdf, &old_d, &new_d));
            }
        } else if let Some(v) = roles.sig_fields.get(&num) {
            let was = before.roles.sig_fields.get(&num).copied().flatten();
            let keys = changed_keys(pdf, &old_d, &new_d);
            let class = match (how, was, v) {
                // A field signed before whose signature is replaced or removed.
                ("changed", Some(w), v) if Some(w) != *v => Modification::NotAllowed,
                // Its old appearance replaced while something else still shows it.
                ("changed", _, _)
                    if keys.iter().any(|x| x == "AP") && !old_appearance_private(&old_d, num, &before)? =>
                {
                    Modification::NotAllowed
                }
                _ if keys
                    .iter()
                    .all(|x| matches!(x.as_str(), "V" | "AP" | "F" | "MK" | "DA" | "DR" | "Lock" | "SV" | "P"))
                    || how == "added" =>
                {
                    signing
                }
                _ => Modification::NotAllowed,
            };
            change("signature field", class, keys);
        } else if roles.appearances.contains(&num) {
            // A signature's appearance: new, or one only its own widget showed.
            let private = how == "added"
                || before.private(
                    num,
                    &|f, key| before.roles.sig_fields.contains_key(&f) && key == b"AP",
                    &roles.appearances,
                )?;
            change(
                "appearance",
                if private { signing } else { Modification::NotAllowed },
                Vec::new(),
            );
        } else if roles.field_appearances.contains(&num) {
            // A field's appearance regenerated when it is filled: allowed only when nothing but
            // the field's own appearance dictionary showed the old one.
            let private = before.private(
                num,
                &|f, key| before.roles.other_fields.contains(&f) && key == b"AP",
                &roles.field_appearances,
            )?;
            change(
                "field appearance",
                if private || how == "added" {
                    form_filling
                } else {
                    Modification::NotAllowed
                },
                Vec::new(),
            );
        } else if roles.extensions.contains(&num) {
            // The developer extensions dictionary, when only the catalog's /Extensions uses it.
            let private = before.private(
                num,
                &|f, key| Some(f) == roles.catalog && key == b"Extensions",
                &roles.extensions,
            )?;
            change(
                "extensions",
                if private || how == "added" {
                    lta
                } else {
                    Modification::NotAllowed
                },
                Vec::new(),
            );
        } else if Some(num) == roles.fields_array {
            let old_a = refs_of(pdf, k - 1, old.as_ref().map(|l| &l.object))?;
            let new_a = refs_of(pdf, k, new.as_ref().map(|l| &l.object))?;
            let kept = old_a.iter().all(|f| new_a.contains(f));
            change(
                "AcroForm fields",
                if kept { signing } else { Modification::NotAllowed },
                Vec::new(),
            );
        } else if Some(num) == roles.catalog {
            let keys = changed_keys(pdf, &old_d, &new_d);
            let class = if keys.iter().all(|x| {
                matches!(
                    x.as_str(),
                    "DSS" | "AcroForm" | "Extensions" | "Metadata" | "Perms" | "Version"
                )
            }) {
                lta
            } else {
                Modification::NotAllowed
            };
            change("catalog", class, keys);
        } else if Some(num) == roles.acroform {
            let keys = changed_keys(pdf, &old_d, &new_d);
            let kept = {
                let old_fields = refs_of(pdf, k - 1, old_d.get("Fields"))?;
                let new_fields = refs_of(pdf, k, new_d.get("Fields"))?;
                old_fields.iter().all(|f| new_fields.contains(f))
            };
            let class = if kept
                && keys
                    .iter()
                    .all(|x| matches!(x.as_str(), "Fields" | "SigFlags" | "DR" | "DA" | "NeedAppearances"))
            {
                signing
            } else {
                Modification::NotAllowed
            };
            change("AcroForm", class, keys);
        } else if roles.pages.contains(&num) && before.roles.pages.contains(&num) {
            // A page (or its /Annots array): only annotations added.
            let keys = changed_keys(pdf, &old_d, &new_d);
            let class = if matches!(new.as_ref().map(|l| &l.object), Some(Object::Array(_))) {
                let old_a = refs_of(pdf, k - 1, old.as_ref().map(|l| &l.object))?;
                let new_a = refs_of(pdf, k, new.as_ref().map(|l| &l.object))?;
                added_annotations(&old_a, &new_a, &roles, signing, annotations)
            } else if keys.iter().all(|x| x == "Annots") {
                let old_a = refs_of(pdf, k - 1, old_d.get("Annots"))?;
                let new_a = refs_of(pdf, k, new_d.get("Annots"))?;
                added_annotations(&old_a, &new_a, &roles, signing, annotations)
            } else {
                Modification::NotAllowed
            };
            change("page", class, keys);
        } else if roles.other_fields.contains(&num) {
            let keys = changed_keys(pdf, &old_d, &new_d);
            let class = if how == "added"
                || keys
                    .iter()
                    .all(|x| matches!(x.as_str(), "V" | "AP" | "AS" | "Kids" | "Fields"))
            {
                form_filling
            } else {
                Modification::NotAllowed
            };
            change("form field", class, keys);
        } else if roles.annotations.contains(&num) {
            // An annotation added (a comment, a stamp) is an annotation change; one the signed
            // revision had, changed (a hidden one shown), is allowed only under DocMDP P=3.
            let class = if how == "changed" && docmdp != Some(3) {
                Modification::NotAllowed
            } else {
                annotations
            };
            change("annotation", class, changed_keys(pdf, &old_d, &new_d));
        } else if Some(num) == roles.info || roles.metadata.contains(&num) {
            change("metadata", lta, Vec::new());
        } else if roles.structure.contains(&num) && !roles.pages.contains(&num) && !before.roles.pages.contains(&num) {
            // The logical structure (tags) does not change what a page shows.
            change("structure tree", signing, Vec::new());
        } else if how == "added" && roles.annots_arrays.contains(&num) {
            // A page's new /Annots array: what it adds is judged with the page.
            change("annotations array", lta, Vec::new());
        } else if how == "added" && !a.graph(k)?.contains_key(&num) {
            // New and used by nothing: it cannot change what the document shows.
            change("unused object", lta, Vec::new());
        } else if how == "added" {
            // New, and nothing in the revision's structure explains it.
            change("object", Modification::Undefined, Vec::new());
        } else if before.in_use(num)? {
            change("object", Modification::NotAllowed, Vec::new());
        } else {
            change("object", Modification::Undefined, Vec::new());
        }
    }
    for c in &mut out {
        if c.what == "form field" {
            c.field = roles
                .field_names
                .get(&c.object)
                .or_else(|| before.roles.field_names.get(&c.object))
                .cloned();
        }
    }
    Ok(out)
}

fn added_annotations(
    old: &[u32],
    new: &[u32],
    roles: &Roles,
    signing: Modification,
    annotations: Modification,
) -> Modification {
    if !old.iter().all(|a| new.contains(a)) {
        return Modification::NotAllowed;
    }
    new.iter()
        .filter(|a| !old.contains(a))
        .map(|a| {
            if roles.sig_fields.contains_key(a) {
                signing
            } else {
                annotations
            }
        })
        .max()
        .unwrap_or(Modification::LtaUpdates)
}

/// For each object a revision's trailer reaches: which objects refer to it (0: the trailer),
/// under which of their keys (empty: from an array).
type Graph = HashMap<u32, Vec<(u32, Rc<[u8]>)>>;

/// The references an object makes, each with the key of the dictionary entry it is under
/// (empty for an array or a reference inside a non-dictionary).
type Edges = Rc<Vec<(Rc<[u8]>, ObjRef)>>;

fn edges_of(from: u32, o: &Object) -> Vec<(Rc<[u8]>, ObjRef)> {
    let mut out = Vec::new();
    match o {
        Object::Dict(d) | Object::Stream(d, _) => {
            for (key, v) in &d.0 {
                if from == 0 && (key.as_slice() == b"Prev" || key.as_slice() == b"XRefStm") {
                    continue;
                }
                let mut refs = Vec::new();
                refs_in(v, &mut refs);
                if !refs.is_empty() {
                    let key: Rc<[u8]> = Rc::from(key.as_slice());
                    out.extend(refs.into_iter().map(|r| (key.clone(), r)));
                }
            }
        }
        other => {
            let mut refs = Vec::new();
            refs_in(other, &mut refs);
            let none: Rc<[u8]> = Rc::from(&[][..]);
            out.extend(refs.into_iter().map(|r| (none.clone(), r)));
        }
    }
    out
}

/// Every object revision `rev`'s trailer reaches, with its referrers; the references of an
/// object are read once for all revisions that see it where it is (`edges`).
fn graph(pdf: &Pdf<'_>, rev: usize, edges: &RefCell<HashMap<(usize, usize), Edges>>) -> Result<Graph, PdfError> {
    let mut referrers: Graph = HashMap::default();
    let mut todo: Vec<(u32, Rc<[u8]>, ObjRef)> = Vec::new();
    if let Some(t) = pdf.revisions().get(rev) {
        todo.extend(
            edges_of(0, &Object::Dict(t.trailer.clone()))
                .into_iter()
                .map(|(k, r)| (0, k, r)),
        );
    }
    while let Some((from, key, r)) = todo.pop() {
        if referrers.len() > MAX_WALK {
            return Err(PdfError::TooLarge {
                what: "objects to compare",
            });
        }
        let first = !referrers.contains_key(&r.num);
        let list = referrers.entry(r.num).or_default();
        if !list.iter().any(|(f, k)| *f == from && *k == key) {
            list.push((from, key));
        }
        if first {
            let Some(at) = pdf.location(rev, r.num) else { continue };
            let cached = edges.borrow().get(&at).cloned();
            let out = match cached {
                Some(e) => e,
                None => {
                    let l = pdf.get(rev, r)?;
                    // An object found elsewhere than its entry says is not kept by location.
                    let keep = at.1 != usize::MAX || l.as_ref().is_some_and(|l| l.offset == Some(at.0));
                    let e: Edges = Rc::new(l.map(|l| edges_of(r.num, &l.object)).unwrap_or_default());
                    if keep {
                        edges.borrow_mut().insert(at, e.clone());
                    }
                    e
                }
            };
            todo.extend(out.iter().map(|(k, to)| (r.num, k.clone(), *to)));
        }
    }
    Ok(referrers)
}

/// Whether the appearance a field had before (its `/AP`, when an indirect object) was used by
/// nothing else, so that replacing it changes nothing but the field.
fn old_appearance_private(old: &Dict, field: u32, before: &Before<'_, '_, '_>) -> Result<bool, PdfError> {
    match old.get("AP") {
        Some(Object::Ref(r)) => before.private(r.num, &|f, key| f == field && key == b"AP", &HashSet::default()),
        _ => Ok(true),
    }
}

/// The structure of the revision before `k`, to tell what was already in use.
struct Before<'x, 'p, 'a> {
    roles: Rc<Roles>,
    analysis: &'x Analysis<'p, 'a>,
    /// The revision before the one analysed.
    k: usize,
}

impl Before<'_, '_, '_> {
    /// Every object the revision's trailer reaches, with the objects that refer to it (0:
    /// the trailer itself) and under which key.
    fn referrers(&self) -> Result<Rc<Graph>, PdfError> {
        self.analysis.graph(self.k)
    }

    fn in_use(&self, num: u32) -> Result<bool, PdfError> {
        Ok(self.referrers()?.contains_key(&num))
    }

    /// Whether every path from the trailer to `num` runs through a reference `root` takes,
    /// passing only through objects of `inner` after it: what shows `num` is only what
    /// `root` names.
    fn private(&self, num: u32, root: &dyn Fn(u32, &[u8]) -> bool, inner: &HashSet<u32>) -> Result<bool, PdfError> {
        let referrers = self.referrers()?;
        let mut seen = HashSet::default();
        let mut todo = vec![num];
        while let Some(n) = todo.pop() {
            if !seen.insert(n) || seen.len() > MAX_WALK {
                continue;
            }
            for (f, key) in referrers.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
                if root(*f, key) {
                    continue;
                }
                if *f == 0 || !inner.contains(f) {
                    return Ok(false);
                }
                todo.push(*f);
            }
        }
        Ok(true)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pdf::object::Lexer;

    /// Reading what the structure walk follows straight from the bytes says what reading the
    /// object says, on the forms the walk meets and the tricks a file may play.
    #[test]
    fn structure_refs_from_the_bytes_match_the_objects() {
        let cases: &[&[u8]] = &[
            b"<< /S /P /K [ 1 0 R 2 0 R << /Type /MCR /Pg 3 0 R /MCID 0 >> 7 ] /P 9 0 R >>",
            b"<< /Type /StructElem /K 4 0 R >>",
            b"<< /Type /#53tructElem /#4B 5 0 R >>",
            b"<< /S /Div /K 1 0 R /K [ 6 0 R ] >>",
            b"<< /Type /StructElem /Type /Other /K 1 0 R >>",
            b"<< /S >>",
            b"<< /K 1 0 R /S >>",
            b"<< /Nums [ 0 10 0 R 1 [ 11 0 R 12 0 R ] ] /Kids [ 13 0 R ] /Limits [ 0 1 ] >>",
            b"<< /Kids >>",
            b"<< /K 1 0 R >>",
            b"[ 1 0 R (2 0 R) <3020> /R 3 0 R 99999999999 0 R 4 0 ]",
            b"<< /S /P /Alt (>> a \\) ( 1 0 R ) /K [ 8 0 R ] /T <4142> >>",
            b"<< /S /P /A << /O /Layout /X [ 1 0 R ] >> /K 2 0 R >>",
            b"<< /S /P /K [ 1 0 R",
            b"<< /S /P 3 >>",
            b"42",
            b"/Name",
            b"(a string)",
        ];
        for case in cases {
            let from_object = Lexer::new(case, 0).object(0).map(|o| structure_followed(&o));
            let from_bytes = Lexer::new(case, 0).structure_refs();
            assert_eq!(
                from_bytes.is_ok(),
                from_object.is_ok(),
                "{}",
                String::from_utf8_lossy(case)
            );
            if let (Ok(a), Ok(b)) = (from_bytes, from_object) {
                assert_eq!(a, b, "{}", String::from_utf8_lossy(case));
            }
        }
        let nested = [b"[".repeat(100), b"]".repeat(100)].concat();
        assert_eq!(Lexer::new(&nested, 0).structure_refs(), Err(PdfError::TooDeep));
    }
}
