// A peer for kyso's XML signature tests, written against the JDK's own XML-DSig API
// (javax.xml.crypto.dsig, JSR-105; the JDK ships Apache Santuario's implementation of it).
//
//   java XmlDsig verify FILE SIGNATURE-ID
//       validates the ds:Signature whose Id is SIGNATURE-ID with the key of the first
//       certificate of its X509Data; prints each Reference's outcome; exit 0 when valid.
//   java XmlDsig sign IN OUT KEY.p8 CERT.der CA.der SLOT REF-ID
//       appends to the element SLOT (a local name, e.g. NBan; the one under DSCKS) an enveloped signature over the
//       element with Id REF-ID and over a SignatureProperties object inside the Signature,
//       both References with the enveloped-signature transform (the form Java signing
//       software in Vietnam writes), RSA-SHA256, C14N 1.0, the certificate and its CA in X509Data.
import java.io.*;
import java.nio.file.*;
import java.security.*;
import java.security.cert.*;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.*;
import javax.xml.XMLConstants;
import javax.xml.crypto.*;
import javax.xml.crypto.dom.DOMStructure;
import javax.xml.crypto.dsig.*;
import javax.xml.crypto.dsig.dom.*;
import javax.xml.crypto.dsig.keyinfo.*;
import javax.xml.crypto.dsig.spec.*;
import javax.xml.parsers.*;
import javax.xml.transform.*;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;
import org.w3c.dom.*;

public class XmlDsig {
    static Document parse(Path p) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document d = f.newDocumentBuilder().parse(p.toFile());
        // Every Id attribute is an ID (what xmlsec1 does with --id-attr).
        NodeList all = d.getElementsByTagNameNS("*", "*");
        for (int i = 0; i < all.getLength(); i++) {
            Element e = (Element) all.item(i);
            if (e.hasAttributeNS(null, "Id")) e.setIdAttributeNS(null, "Id", true);
        }
        return d;
    }

    static Element signature(Document d, String id) {
        NodeList sigs = d.getElementsByTagNameNS(XMLSignature.XMLNS, "Signature");
        for (int i = 0; i < sigs.getLength(); i++) {
            Element e = (Element) sigs.item(i);
            if (id.equals(e.getAttribute("Id"))) return e;
        }
        throw new IllegalArgumentException("no Signature with Id " + id);
    }

    static final KeySelector FIRST_X509 = new KeySelector() {
        public KeySelectorResult select(KeyInfo ki, Purpose p, AlgorithmMethod m, XMLCryptoContext c)
                throws KeySelectorException {
            for (Object o : ki.getContent()) {
                if (o instanceof X509Data) {
                    for (Object x : ((X509Data) o).getContent()) {
                        if (x instanceof X509Certificate) {
                            PublicKey k = ((X509Certificate) x).getPublicKey();
                            return () -> k;
                        }
                    }
                }
            }
            throw new KeySelectorException("no X509Certificate");
        }
    };

    static int verify(String file, String id) throws Exception {
        Document d = parse(Paths.get(file));
        DOMValidateContext ctx = new DOMValidateContext(FIRST_X509, signature(d, id));
        ctx.setProperty("org.jcp.xml.dsig.secureValidation", Boolean.TRUE);
        XMLSignature sig = XMLSignatureFactory.getInstance("DOM").unmarshalXMLSignature(ctx);
        boolean valid = sig.validate(ctx);
        for (Object r : sig.getSignedInfo().getReferences()) {
            Reference ref = (Reference) r;
            System.out.println("reference " + ref.getURI() + ": " + (ref.validate(ctx) ? "ok" : "FAILED"));
        }
        System.out.println("signature value: " + (sig.getSignatureValue().validate(ctx) ? "ok" : "FAILED"));
        System.out.println(valid ? "VALID" : "INVALID");
        return valid ? 0 : 1;
    }

    static int sign(String[] a) throws Exception {
        Document d = parse(Paths.get(a[1]));
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Files.readAllBytes(Paths.get(a[3]))));
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        List<Object> certs = new ArrayList<>();
        for (int i = 4; i <= 5; i++) {
            try (InputStream in = Files.newInputStream(Paths.get(a[i]))) {
                certs.add(cf.generateCertificate(in));
            }
        }
        String slot = a[6], refId = a[7], sigId = slot, propsId = slot + "-SigningTime";
        XMLSignatureFactory fac = XMLSignatureFactory.getInstance("DOM");
        DigestMethod sha256 = fac.newDigestMethod(DigestMethod.SHA256, null);
        List<Transform> enveloped =
                Collections.singletonList(fac.newTransform(Transform.ENVELOPED, (TransformParameterSpec) null));
        Reference data = fac.newReference("#" + refId, sha256, enveloped, null, null);
        Reference props = fac.newReference("#" + propsId, sha256, enveloped,
                "http://www.w3.org/2000/09/xmldsig#SignatureProperties", null);
        SignedInfo si = fac.newSignedInfo(
                fac.newCanonicalizationMethod(CanonicalizationMethod.INCLUSIVE, (C14NMethodParameterSpec) null),
                fac.newSignatureMethod("http://www.w3.org/2001/04/xmldsig-more#rsa-sha256", null),
                Arrays.asList(data, props));
        Element time = d.createElementNS(XMLSignature.XMLNS, "SigningTime");
        time.setTextContent("2026-06-01T17:00:00");
        SignatureProperty sp = fac.newSignatureProperty(
                Collections.singletonList(new DOMStructure(time)), "#" + sigId, null);
        SignatureProperties sps = fac.newSignatureProperties(Collections.singletonList(sp), null);
        XMLObject obj = fac.newXMLObject(Collections.singletonList(sps), propsId, null, null);
        KeyInfoFactory kif = fac.getKeyInfoFactory();
        KeyInfo ki = kif.newKeyInfo(Collections.singletonList(kif.newX509Data(certs)));
        XMLSignature sig = fac.newXMLSignature(si, ki, Collections.singletonList(obj), sigId, null);
        // The slot under DSCKS (the invoice's body has an NBan of its own: the seller's data).
        NodeList slots = d.getElementsByTagNameNS("*", slot);
        Element parent = (Element) slots.item(0);
        for (int i = 0; i < slots.getLength(); i++) {
            Node up = slots.item(i).getParentNode();
            if (up != null && "DSCKS".equals(up.getLocalName())) parent = (Element) slots.item(i);
        }
        DOMSignContext ctx = new DOMSignContext(key, parent);
        ctx.setDefaultNamespacePrefix("");
        sig.sign(ctx);
        Transformer t = TransformerFactory.newInstance().newTransformer();
        t.transform(new DOMSource(d), new StreamResult(new File(a[2])));
        return 0;
    }

    public static void main(String[] a) throws Exception {
        System.exit(a[0].equals("verify") ? verify(a[1], a[2]) : sign(a));
    }
}
