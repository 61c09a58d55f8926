//! Canonical XML: C14N 1.0 (W3C REC 2001-03-15) with and without comments, Exclusive C14N 1.0
//! (W3C REC 2002-07-18) with an `InclusiveNamespaces PrefixList`, and C14N 1.1 (W3C REC
//! 2008-05-02), over the node sets XML signatures use: a whole document, or an element with
//! its descendants, either one minus the subtree of an enveloped signature.
//!
//! Not implemented, and refused by the signature layer rather than approximated: node sets
//! chosen by XPath or XPath Filter 2.0 expressions, and C14N 1.1's xml:base fix-up when more
//! than one ancestor outside the node set carries an xml:base.

#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::indexing_slicing, clippy::panic)
)]

use roxmltree::{Node, NodeId};

use super::XmlError;

/// The namespace of the `xml:` prefix.
const XML_NS: &str = "http://www.w3.org/XML/1998/namespace";

/// A canonicalization algorithm (its URI names it in a signature).
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum C14nMethod {
    /// Canonical XML 1.0.
    C14n10 {
        /// `#WithComments`.
        comments: bool,
    },
    /// Canonical XML 1.1.
    C14n11 {
        /// `#WithComments`.
        comments: bool,
    },
    /// Exclusive Canonical XML 1.0.
    Exclusive {
        /// `#WithComments`.
        comments: bool,
        /// The `InclusiveNamespaces PrefixList` (`#default` stands for the default namespace,
        /// kept here as the empty string).
        inclusive_prefixes: Vec<String>,
    },
}

/// C14N 1.0.
pub const C14N10: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315";
/// C14N 1.0 with comments.
pub const C14N10_COMMENTS: &str = "http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments";
/// C14N 1.1.
pub const C14N11: &str = "http://www.w3.org/2006/12/xml-c14n11";
/// C14N 1.1 with comments.
pub const C14N11_COMMENTS: &str = "http://www.w3.org/2006/12/xml-c14n11#WithComments";
/// Exclusive C14N 1.0.
pub const EXC_C14N: &str = "http://www.w3.org/2001/10/xml-exc-c14n#";
/// Exclusive C14N 1.0 with comments.
pub const EXC_C14N_COMMENTS: &str = "http://www.w3.org/2001/10/xml-exc-c14n#WithComments";
/// The exclusive-C14N URI as edXML packages (QCVN 102:2016) write it: not a W3C identifier,
/// accepted only as a named tolerance of the Vietnamese policy.
pub const EXC_C14N_EDXML: &str = "http://www.w3.org/TR/xml-exc-c14n#";

impl C14nMethod {
    /// The method a W3C URI names (`prefixes`: the PrefixList of an exclusive method).
    pub fn from_uri(uri: &str, prefixes: Option<&str>) -> Option<C14nMethod> {
        let exclusive = |comments| C14nMethod::Exclusive {
            comments,
            inclusive_prefixes: prefixes
                .unwrap_or("")
                .split_ascii_whitespace()
                .map(|p| if p == "#default" { String::new() } else { p.to_string() })
                .collect(),
        };
        Some(match uri {
            C14N10 => C14nMethod::C14n10 { comments: false },
            C14N10_COMMENTS => C14nMethod::C14n10 { comments: true },
            C14N11 => C14nMethod::C14n11 { comments: false },
            C14N11_COMMENTS => C14nMethod::C14n11 { comments: true },
            EXC_C14N => exclusive(false),
            EXC_C14N_COMMENTS => exclusive(true),
            _ => return None,
        })
    }

    /// Whether comments are kept.
    pub fn comments(&self) -> bool {
        match self {
            C14nMethod::C14n10 { comments } | C14nMethod::C14n11 { comments } => *comments,
            C14nMethod::Exclusive { comments, .. } => *comments,
        }
    }

    /// The same method with comments kept or dropped (a same-document `#xpointer(…)` reference
    /// keeps them; a bare-name or empty one drops them, XML-DSig §4.4.3.3).
    pub fn with_comments(&self, keep: bool) -> C14nMethod {
        let mut m = self.clone();
        match &mut m {
            C14nMethod::C14n10 { comments } | C14nMethod::C14n11 { comments } => *comments = keep,
            C14nMethod::Exclusive { comments, .. } => *comments = keep,
        }
        m
    }
}

/// Canonicalize a whole XML document (without its DTD, which kyso refuses anyway).
pub fn canonicalize(input: &[u8], method: &C14nMethod) -> Result<Vec<u8>, XmlError> {
    let text = super::text(input)?;
    let doc = super::parse(text)?;
    let mut out = Vec::with_capacity(input.len());
    subset(doc.root(), None, method, &mut out);
    Ok(out)
}

/// Canonicalize the first element named `name` (namespace URI, local name) with its
/// descendants, as a signature's SignedInfo is canonicalized. `None` when there is no such
/// element.
pub fn canonicalize_element(input: &[u8], name: (&str, &str), method: &C14nMethod) -> Result<Vec<u8>, XmlError> {
    let text = super::text(input)?;
    let doc = super::parse(text)?;
    let mut out = Vec::new();
    if let Some(e) = doc.descendants().find(|n| n.has_tag_name(name)) {
        subset(e, None, method, &mut out);
    }
    Ok(out)
}

/// Canonicalize the node set "`apex` (the document node or an element) and its descendants,
/// minus the subtree of `exclude`" into `out`. Depth is bounded by the reader's limit.
pub(crate) fn subset(apex: Node<'_, '_>, exclude: Option<NodeId>, method: &C14nMethod, out: &mut Vec<u8>) {
    let mut w = Writer {
        method,
        exclude,
        out,
        input: apex.document().input_text(),
        scope: Vec::new(),
    };
    if apex.is_root() {
        let mut seen_element = false;
        for child in apex.children() {
            if child.is_element() {
                seen_element = true;
                w.element(child, true);
            } else if child.is_comment() && !method.comments() || Some(child.id()) == exclude {
                continue;
            } else if child.is_comment() || child.is_pi() {
                // Outside the document element: a newline after what precedes it, before what
                // follows it (C14N 1.0 §2.3).
                if seen_element {
                    w.out.push(b'\n');
                }
                w.leaf(child);
                if !seen_element {
                    w.out.push(b'\n');
                }
            }
        }
    } else if apex.is_element() {
        w.element(apex, true);
    }
}

/// A namespace declaration rendered in the output: (prefix, URI), the default namespace as
/// the empty prefix.
type Decl<'d> = (&'d str, &'d str);

struct Writer<'m, 'o, 'd> {
    method: &'m C14nMethod,
    exclude: Option<NodeId>,
    out: &'o mut Vec<u8>,
    input: &'d str,
    /// The declarations in effect in the output so far, outermost first: one stack for the
    /// whole walk, each element's pushed before its children and popped after them.
    scope: Vec<Decl<'d>>,
}

/// The qualified name of an element as written in the document.
fn element_qname<'i>(input: &'i str, e: Node<'_, '_>) -> &'i str {
    let after = input.get(e.range().start + 1..).unwrap_or("");
    let end = after
        .find(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .unwrap_or(after.len());
    after.get(..end).unwrap_or("")
}

fn prefix_of(qname: &str) -> &str {
    qname.split_once(':').map(|(p, _)| p).unwrap_or("")
}

impl<'d> Writer<'_, '_, 'd> {
    /// The URI rendered for `prefix` by an ancestor in the output.
    fn rendered(&self, prefix: &str) -> Option<&'d str> {
        self.scope.iter().rev().find(|(p, _)| *p == prefix).map(|(_, u)| *u)
    }

    fn element<'i: 'd>(&mut self, e: Node<'d, 'i>, apex: bool) {
        let qname = element_qname(self.input, e);
        // The element's in-scope namespaces (prefix, URI), without xml:.
        let in_scope: Vec<Decl<'d>> = e
            .namespaces()
            .filter(|n| n.uri() != XML_NS)
            .map(|n| (n.name().unwrap_or(""), n.uri()))
            .collect();
        let bound = |prefix: &str| {
            in_scope
                .iter()
                .find(|(p, _)| *p == prefix)
                .map(|(_, u)| *u)
                .unwrap_or("")
        };
        let mut decls: Vec<Decl<'d>> = Vec::new();
        match self.method {
            C14nMethod::Exclusive { inclusive_prefixes, .. } => {
                let mut used: Vec<&str> = vec![prefix_of(qname)];
                for a in e.attributes() {
                    let q = self.input.get(a.range_qname()).unwrap_or("");
                    if a.namespace().is_some_and(|ns| ns != XML_NS) {
                        used.push(prefix_of(q));
                    }
                }
                for p in inclusive_prefixes {
                    if in_scope.iter().any(|(q, _)| q == p) || p.is_empty() {
                        used.push(p);
                    }
                }
                for p in used {
                    // The prefix as the document binds it (its own lifetime, not `used`'s).
                    let (prefix, uri) = in_scope.iter().find(|(q, _)| *q == p).copied().unwrap_or(("", ""));
                    if !prefix.is_empty() || p.is_empty() {
                        let rendered = self.rendered(p).unwrap_or("");
                        if uri != rendered && !decls.iter().any(|(q, _)| *q == p) {
                            decls.push((prefix, uri));
                        }
                    }
                }
            }
            _ => {
                // An empty default namespace (xmlns="") is no namespace: it is rendered only
                // to undo a default rendered above.
                for (p, u) in in_scope.iter().filter(|(p, u)| !(p.is_empty() && u.is_empty())) {
                    if self.rendered(p) != Some(u) {
                        decls.push((p, u));
                    }
                }
                if bound("").is_empty() && self.rendered("").is_some_and(|u| !u.is_empty()) {
                    decls.push(("", ""));
                }
            }
        }
        decls.sort_unstable();
        // Attributes, with the xml: attributes an apex inherits from ancestors outside the
        // node set (C14N 1.0 §2.4: all of them; 1.1 §2.4: not xml:id; exclusive: none).
        let mut attrs: Vec<(&str, &str, &str, &str)> = e
            .attributes()
            .map(|a| {
                let q = self.input.get(a.range_qname()).unwrap_or("");
                (a.namespace().unwrap_or(""), a.name(), q, a.value())
            })
            .collect();
        if apex && !matches!(self.method, C14nMethod::Exclusive { .. }) {
            for anc in e.ancestors().skip(1).filter(|n| n.is_element()) {
                for a in anc.attributes().filter(|a| a.namespace() == Some(XML_NS)) {
                    let skip = matches!(self.method, C14nMethod::C14n11 { .. }) && a.name() == "id";
                    if !skip && !attrs.iter().any(|(ns, n, _, _)| *ns == XML_NS && *n == a.name()) {
                        // No qualified name as written: it is rendered `xml:name`.
                        attrs.push((XML_NS, a.name(), "", a.value()));
                    }
                }
            }
        }
        attrs.sort_by(|a, b| (a.0, a.1).cmp(&(b.0, b.1)));

        self.out.push(b'<');
        self.out.extend_from_slice(qname.as_bytes());
        for (p, u) in &decls {
            if p.is_empty() {
                self.out.extend_from_slice(b" xmlns=\"");
            } else {
                self.out.extend_from_slice(b" xmlns:");
                self.out.extend_from_slice(p.as_bytes());
                self.out.extend_from_slice(b"=\"");
            }
            escape_attribute(u, self.out);
            self.out.push(b'"');
        }
        for (ns, name, q, v) in &attrs {
            self.out.push(b' ');
            if q.is_empty() && *ns == XML_NS {
                // Inherited from an ancestor: written with the reserved prefix.
                self.out.extend_from_slice(b"xml:");
                self.out.extend_from_slice(name.as_bytes());
            } else {
                self.out.extend_from_slice(q.as_bytes());
            }
            self.out.extend_from_slice(b"=\"");
            escape_attribute(v, self.out);
            self.out.push(b'"');
        }
        self.out.push(b'>');

        let depth = self.scope.len();
        self.scope.extend(decls);
        for child in e.children() {
            if Some(child.id()) == self.exclude {
                continue;
            }
            if child.is_element() {
                self.element(child, false);
            } else {
                self.leaf(child);
            }
        }
        self.scope.truncate(depth);
        self.out.extend_from_slice(b"</");
        self.out.extend_from_slice(qname.as_bytes());
        self.out.push(b'>');
    }

    /// Text, comments and processing instructions.
    fn leaf(&mut self, n: Node<'_, '_>) {
        if n.is_text() {
            escape_text(n.text().unwrap_or(""), self.out);
        } else if n.is_comment() {
            if self.method.comments() {
                self.out.extend_from_slice(b"<!--");
                self.out.extend_from_slice(n.text().unwrap_or("").as_bytes());
                self.out.extend_from_slice(b"-->");
            }
        } else if let Some(pi) = n.pi() {
            self.out.extend_from_slice(b"<?");
            self.out.extend_from_slice(pi.target.as_bytes());
            if let Some(v) = pi.value.filter(|v| !v.is_empty()) {
                self.out.push(b' ');
                self.out.extend_from_slice(v.as_bytes());
            }
            self.out.extend_from_slice(b"?>");
        }
    }
}

/// Text node escaping (C14N 1.0 §2.3).
fn escape_text(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'>' => out.extend_from_slice(b"&gt;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

/// Attribute value escaping (C14N 1.0 §2.3).
fn escape_attribute(s: &str, out: &mut Vec<u8>) {
    for b in s.bytes() {
        match b {
            b'&' => out.extend_from_slice(b"&amp;"),
            b'<' => out.extend_from_slice(b"&lt;"),
            b'"' => out.extend_from_slice(b"&quot;"),
            b'\t' => out.extend_from_slice(b"&#x9;"),
            b'\n' => out.extend_from_slice(b"&#xA;"),
            b'\r' => out.extend_from_slice(b"&#xD;"),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c14n(doc: &str, m: &C14nMethod) -> String {
        String::from_utf8(canonicalize(doc.as_bytes(), m).unwrap()).unwrap()
    }

    const INCL: C14nMethod = C14nMethod::C14n10 { comments: false };

    /// The examples of the C14N 1.0 recommendation, §3.
    #[test]
    fn w3c_c14n_examples() {
        // §3.1 PIs, comments, and outside of the document element.
        let doc = "<?xml version=\"1.0\"?>\n\n<?xml-stylesheet   href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n\n<doc>Hello, world!<!-- Comment 1 --></doc>\n\n<?pi-without-data     ?>\n\n<!-- Comment 2 -->\n\n<!-- Comment 3 -->";
        assert_eq!(
            c14n(doc, &INCL),
            "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!</doc>\n<?pi-without-data?>"
        );
        assert_eq!(
            c14n(doc, &C14nMethod::C14n10 { comments: true }),
            "<?xml-stylesheet href=\"doc.xsl\"\n   type=\"text/xsl\"   ?>\n<doc>Hello, world!<!-- Comment 1 --></doc>\n<?pi-without-data?>\n<!-- Comment 2 -->\n<!-- Comment 3 -->"
        );
        // §3.3 start and end tags (without the DTD's default attribute).
        let doc = "<doc>\n   <e1   />\n   <e2   ></e2>\n   <e3   name = \"elem3\"   id=\"elem3\"   />\n   <e4   name=\"elem4\"   id=\"elem4\"   ></e4>\n   <e5 a:attr=\"out\" b:attr=\"sorted\" attr2=\"all\" attr=\"I'm\"\n      xmlns:b=\"http://www.ietf.org\"\n      xmlns:a=\"http://www.w3.org\"\n      xmlns=\"http://example.org\"/>\n   <e6 xmlns=\"\" xmlns:a=\"http://www.w3.org\">\n      <e7 xmlns=\"http://www.ietf.org\">\n         <e8 xmlns=\"\" xmlns:a=\"http://www.w3.org\">\n            <e9 xmlns=\"\" xmlns:a=\"http://www.ietf.org\"/>\n         </e8>\n      </e7>\n   </e6>\n</doc>";
        assert_eq!(
            c14n(doc, &INCL),
            "<doc>\n   <e1></e1>\n   <e2></e2>\n   <e3 id=\"elem3\" name=\"elem3\"></e3>\n   <e4 id=\"elem4\" name=\"elem4\"></e4>\n   <e5 xmlns=\"http://example.org\" xmlns:a=\"http://www.w3.org\" xmlns:b=\"http://www.ietf.org\" attr=\"I'm\" attr2=\"all\" b:attr=\"sorted\" a:attr=\"out\"></e5>\n   <e6 xmlns:a=\"http://www.w3.org\">\n      <e7 xmlns=\"http://www.ietf.org\">\n         <e8 xmlns=\"\">\n            <e9 xmlns:a=\"http://www.ietf.org\"></e9>\n         </e8>\n      </e7>\n   </e6>\n</doc>"
        );
        // §3.4 character modifications and character references (no DTD).
        let doc = "<doc>\n   <text>First line&#x0d;&#10;Second line</text>\n   <value>&#x32;</value>\n   <compute><![CDATA[value>\"0\" && value<\"10\" ?\"valid\":\"error\"]]></compute>\n   <compute expr='value>\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"'>valid</compute>\n   <norm attr=' &apos;   &#x20;&#13;&#xa;&#9;   &apos; '/>\n</doc>";
        assert_eq!(
            c14n(doc, &INCL),
            "<doc>\n   <text>First line&#xD;\nSecond line</text>\n   <value>2</value>\n   <compute>value&gt;\"0\" &amp;&amp; value&lt;\"10\" ?\"valid\":\"error\"</compute>\n   <compute expr=\"value>&quot;0&quot; &amp;&amp; value&lt;&quot;10&quot; ?&quot;valid&quot;:&quot;error&quot;\">valid</compute>\n   <norm attr=\" '    &#xD;&#xA;&#x9;   ' \"></norm>\n</doc>"
        );
    }

    #[test]
    fn exclusive_renders_only_visibly_used_namespaces() {
        let doc = r#"<a:r xmlns:a="urn:a" xmlns:b="urn:b" xmlns="urn:d"><a:x b:at="1"><y/></a:x></a:r>"#;
        let d = roxmltree::Document::parse(doc).unwrap();
        let x = d.descendants().find(|n| n.has_tag_name(("urn:a", "x"))).unwrap();
        let exc = C14nMethod::from_uri(EXC_C14N, None).unwrap();
        let mut out = Vec::new();
        subset(x, None, &exc, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<a:x xmlns:a="urn:a" xmlns:b="urn:b" b:at="1"><y xmlns="urn:d"></y></a:x>"#
        );
        // With the default namespace in the PrefixList, it is rendered on the apex.
        let exc = C14nMethod::from_uri(EXC_C14N, Some("#default")).unwrap();
        let mut out = Vec::new();
        subset(x, None, &exc, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<a:x xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" b:at="1"><y></y></a:x>"#
        );
        // Inclusive C14N of the same subtree renders every in-scope namespace on the apex.
        let mut out = Vec::new();
        subset(x, None, &INCL, &mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            r#"<a:x xmlns="urn:d" xmlns:a="urn:a" xmlns:b="urn:b" b:at="1"><y></y></a:x>"#
        );
    }

    #[test]
    fn apex_inherits_xml_attributes_in_inclusive_forms_only() {
        let doc = r#"<r xml:lang="vi" xml:id="top"><e a="1"/></r>"#;
        let d = roxmltree::Document::parse(doc).unwrap();
        let e = d.descendants().find(|n| n.has_tag_name("e")).unwrap();
        let run = |m: &C14nMethod| {
            let mut out = Vec::new();
            subset(e, None, m, &mut out);
            String::from_utf8(out).unwrap()
        };
        assert_eq!(run(&INCL), r#"<e a="1" xml:id="top" xml:lang="vi"></e>"#);
        assert_eq!(
            run(&C14nMethod::C14n11 { comments: false }),
            r#"<e a="1" xml:lang="vi"></e>"#
        );
        assert_eq!(run(&C14nMethod::from_uri(EXC_C14N, None).unwrap()), r#"<e a="1"></e>"#);
    }
}
