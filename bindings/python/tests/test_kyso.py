"""The Python binding on the fixtures ffi/tests/c.rs makes (KYSO_FIXTURES)."""

import datetime
import os
import pathlib

import pytest

import kyso

FIX = pathlib.Path(os.environ["KYSO_FIXTURES"])
MODULE = os.environ["KYSO_SOFTHSM_MODULE"]
P12_PASSWORD = "bí mật"


def read(name):
    return (FIX / name).read_bytes()


@pytest.fixture(scope="module")
def store():
    return (kyso.TrustStore().add(read("root.der"), kyso.PUBLIC)
            .add_intermediates(read("sub.der"), kyso.PUBLIC))


def test_version():
    # The library loaded and the package are of one release.
    assert kyso.version() == kyso.__version__


def test_vietnam_store_places_a_real_vnpt_certificate():
    report = kyso.verify_chain(kyso.TrustStore.vietnam(), read("vnpt-ca.p7b"),
                               at=datetime.datetime(2026, 11, 20, tzinfo=datetime.timezone.utc))
    assert report.valid
    assert report.to_dict()["signatures"][0]["hierarchy"] == "public"


def test_three_verdicts(store):
    doc = read("doc.txt")
    r = kyso.verify_cms(store, read("valid.p7s"), content=doc)
    assert r.verdict == "valid"
    d = r.to_dict()
    assert d["schema"] == "kyso.report/1"
    assert d["signatures"][0]["identity"]["ids"][0]["value"] == "0109999999"
    v = r.validation()
    assert v["schema"] == "kyso.report/1"
    assert v["indication"] == "TOTAL_PASSED"
    assert v["signatures"][0]["managing_organisation"]
    assert "KẾT QUẢ KIỂM TRA CHỮ KÝ SỐ" in r.text("vi")
    assert "Người ký:" in r.text("vi")
    assert "SIGNATURE VALIDATION REPORT" in r.text("en")
    with pytest.raises(ValueError):
        r.text("fr")
    bad = kyso.verify_cms(store, read("valid.p7s"), content=doc + b"!")
    assert bad.validation()["sub_indication"] == "HASH_FAILURE"
    assert "dữ liệu đã bị thay đổi sau khi ký" in bad.text("vi")
    assert kyso.verify_cms(store, read("attached.p7s")).valid
    assert kyso.verify_cms(store, read("valid.p7s"), content=doc + b"!").verdict == "invalid"
    assert kyso.verify_cms(store, read("rogue.p7s"), content=doc).verdict == "indeterminate"
    assert kyso.verify_cms(store, read("valid.p7s"), content=doc,
                           flags=kyso.HARD_FAIL).verdict == "indeterminate"


def test_errors_are_exceptions(store):
    with pytest.raises(kyso.ContentMissing):
        kyso.verify_cms(store, read("valid.p7s"))
    with pytest.raises(kyso.BadSignature) as e:
        kyso.verify_cms(store, read("valid.p7s")[:100], content=b"x")
    assert e.value.code == 4 and str(e.value)
    with pytest.raises(kyso.BadInput):
        kyso.TrustStore().add(b"not a certificate")
    with pytest.raises(kyso.InvalidArgument):
        kyso.TrustStore().add(read("root.der"), 42)
    with pytest.raises(TypeError):
        kyso.verify_cms(store, "text, not bytes")


def test_sign_pkcs12_then_verify(store):
    doc = b"Python signs this"
    sig = kyso.sign_cms_pkcs12(read("company.p12"), P12_PASSWORD, doc)
    assert kyso.verify_cms(store, sig, content=doc).valid
    attached = kyso.sign_cms_pkcs12(read("company.p12"), P12_PASSWORD, doc, detached=False,
                                    pss=True, check=store)
    assert kyso.verify_cms(store, attached).valid
    with pytest.raises(kyso.WrongPassword):
        kyso.sign_cms_pkcs12(read("company.p12"), "wrong", doc)
    with pytest.raises(kyso.CertificateRefused):
        kyso.sign_cms_pkcs12(read("company.p12"), P12_PASSWORD, doc, check=kyso.TrustStore())


def test_sign_pkcs11_then_verify(store):
    doc = b"signed on SoftHSM2 from Python"
    sig = kyso.sign_cms_pkcs11(doc, "246810", module=MODULE, token="c-api", key_id=b"\xa1")
    assert kyso.verify_cms(store, sig, content=doc).valid
    with pytest.raises(kyso.WrongPin):
        kyso.sign_cms_pkcs11(doc, "000000", module=MODULE, token="c-api")
    with pytest.raises(kyso.NoToken):
        kyso.sign_cms_pkcs11(doc, "246810", module=MODULE, token="nope")


def test_inputs_as_bytes_paths_and_files(store):
    doc = FIX / "doc.txt"
    for sig in (read("valid.p7s"), bytearray(read("valid.p7s")), memoryview(read("valid.p7s")),
                FIX / "valid.p7s"):
        assert kyso.verify_cms(store, sig, content=doc).valid
    with open(FIX / "valid.p7s", "rb") as sig, open(doc, "rb") as content:
        with kyso.Verifier(store) as v:
            assert v.verify(sig, content).valid
    with open(doc, "r") as text, pytest.raises(TypeError):
        kyso.verify_cms(store, FIX / "valid.p7s", content=text)
    # A str is refused: is it a file name or data? The message says which to pass.
    with pytest.raises(TypeError, match="pathlib.Path"):
        kyso.verify_cms(store, str(FIX / "valid.p7s"))


def test_python_m_kyso_verify_as_the_command():
    import subprocess
    import sys
    anchor = FIX / "root.der"
    run = lambda *a: subprocess.run([sys.executable, "-m", "kyso", *a], capture_output=True, text=True,
                                    env=dict(os.environ, LANG="C"))
    ok = run("verify", str(FIX / "valid.p7s"), "--content", str(FIX / "doc.txt"), "--anchor", str(anchor),
             "--anchor", str(FIX / "sub.der"))
    assert ok.returncode == 0 and "VALID (TOTAL_PASSED)" in ok.stdout, ok.stdout + ok.stderr
    tampered = FIX / "tampered-by-python.txt"
    tampered.write_bytes(read("doc.txt") + b"!")
    bad = run("verify", str(FIX / "valid.p7s"), "--content", str(tampered), "--anchor", str(anchor), "--json")
    assert bad.returncode == 1 and '"TOTAL_FAILED"' in bad.stdout, bad.stdout + bad.stderr
    untrusted = run("verify", str(FIX / "rogue.p7s"), "--content", str(FIX / "doc.txt"), "--anchor", str(anchor),
                    "--lang", "vi")
    assert untrusted.returncode == 2 and "CHƯA XÁC ĐỊNH" in untrusted.stdout.upper(), untrusted.stdout
    assert run("version").stdout.strip() == kyso.version()
    missing = run("verify", str(FIX / "no-such-file.p7s"))
    assert missing.returncode == 2 and "kyso:" in missing.stderr
    # A reader that stops reading (`| grep -q`) leaves the verdict as the exit code, no traceback.
    closed = subprocess.Popen([sys.executable, "-m", "kyso", "verify", str(FIX / "valid.p7s"), "--content",
                               str(FIX / "doc.txt"), "--anchor", str(anchor), "--anchor", str(FIX / "sub.der")],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=dict(os.environ, LANG="C"))
    closed.stdout.close()
    assert closed.wait(timeout=60) == 0
    assert closed.stderr.read() == b""


def test_stubs_name_every_public_function():
    # py.typed and the stub ship with the package, and the stub covers __all__.
    here = pathlib.Path(kyso.__file__).parent
    assert (here / "py.typed").exists()
    stub = (here / "__init__.pyi").read_text()
    for name in kyso.__all__:
        assert f"def {name}(" in stub or f"class {name}(" in stub or f"class {name}:" in stub \
            or f"{name}: int" in stub, name


def test_login_by_certificate_in_each_form(store):
    aud = "https://dichvucong.example.vn"
    with kyso.Verifier(store) as v, kyso.Authenticator(v, aud) as auth:
        for form in ("raw", "cms", "jws"):
            ch = kyso.auth_challenge(aud, ttl=120, purpose="Đăng nhập Cổng dịch vụ công")
            assert '"purpose":"Đăng nhập Cổng dịch vụ công"' in ch
            resp = kyso.auth_respond_pkcs12(ch, FIX / "company.p12", P12_PASSWORD, form=form)
            login = auth.verify(ch, resp)
            assert login.accepted, login.json
            d = login.to_dict()
            assert d["schema"] == "kyso.auth/1" and d["form"] == form
            assert d["hierarchy"] == "public"
            assert any(i["value"] == "0109999999" for i in d["identity"]["ids"]), d
            # Once only.
            again = auth.verify(ch, resp)
            assert not again.accepted and again.refusal == "replayed"
        # On the SoftHSM2 token.
        ch = kyso.auth_challenge(aud)
        resp = kyso.auth_respond_pkcs11(ch, "246810", form="jws", module=MODULE, token="c-api")
        assert auth.verify(ch, resp).accepted
        # Another relying party's challenge; an expired one; unreadable input; bad form.
        other = kyso.auth_challenge("https://other.example.vn")
        login = auth.verify(other, kyso.auth_respond_pkcs12(other, FIX / "company.p12", P12_PASSWORD))
        assert login.refusal == "wrong_audience"
        old = kyso.auth_challenge(aud, ttl=60, now=datetime.datetime(2026, 1, 1, tzinfo=datetime.timezone.utc))
        assert auth.verify(old, kyso.auth_respond_pkcs12(old, FIX / "company.p12", P12_PASSWORD)).refusal == "expired"
        with pytest.raises(kyso.BadInput):
            auth.verify(ch, b"not a response")
        with pytest.raises(ValueError):
            kyso.auth_respond_pkcs12(ch, FIX / "company.p12", P12_PASSWORD, form="xml")
        with pytest.raises(kyso.WrongPassword):
            kyso.auth_respond_pkcs12(ch, FIX / "company.p12", "wrong")
    # An untrusted store: the certificate is refused, and the JSON says why.
    with kyso.Verifier(kyso.TrustStore()) as v, kyso.Authenticator(v, aud) as auth:
        ch = kyso.auth_challenge(aud)
        login = auth.verify(ch, kyso.auth_respond_pkcs12(ch, FIX / "company.p12", P12_PASSWORD))
        assert login.refusal == "certificate_refused"
        assert login.to_dict()["sub_indication"] == "NO_CERTIFICATE_CHAIN_FOUND"
