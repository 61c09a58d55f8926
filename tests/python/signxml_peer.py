"""A peer for kyso's XML signature tests, written against signxml (PyPI, over lxml and
cryptography).

    python3 signxml_peer.py verify FILE CA.pem REFERENCES
        verifies the document's signature, its certificate chained to CA.pem, expecting that
        many References; prints what each covered; exit 0 when valid.
    python3 signxml_peer.py sign IN OUT KEY.pem CERT.pem CA.pem
        signs IN with an enveloped signature over the whole document (RSA-SHA256, SHA-256,
        exclusive C14N), the certificate and its CA in X509Data.
"""
import sys

from lxml import etree
from signxml import XMLSigner, XMLVerifier, methods


def verify(path, ca, references):
    data = open(path, "rb").read()
    results = XMLVerifier().verify(data, ca_pem_file=ca, expect_references=int(references))
    for r in results:
        print("verified:", etree.QName(r.signed_xml).localname)
    print("VALID")


def sign(src, out, key, cert, ca):
    root = etree.parse(src).getroot()
    chain = [open(cert).read(), open(ca).read()]
    signed = XMLSigner(
        method=methods.enveloped,
        signature_algorithm="rsa-sha256",
        digest_algorithm="sha256",
        c14n_algorithm="http://www.w3.org/2001/10/xml-exc-c14n#",
    ).sign(root, key=open(key, "rb").read(), cert=chain)
    open(out, "wb").write(etree.tostring(signed, xml_declaration=True, encoding="UTF-8"))


if __name__ == "__main__":
    if sys.argv[1] == "verify":
        verify(*sys.argv[2:5])
    else:
        sign(*sys.argv[2:7])
