//! Certificate authorities made up by a test, the files TLS servers read, and the plumbing the
//! private servers share (temporary directories, free ports, finding their binaries).

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};

/// A CA that exists only for one test: clients trust it (or deliberately do not).
pub struct TestCa {
    pem: String,
    issuer: Issuer<'static, KeyPair>,
}

/// A server certificate and its private key, PEM.
pub struct ServerCert {
    pub cert_pem: String,
    pub key_pem: String,
}

impl TestCa {
    pub fn new(name: &str) -> Self {
        let key = KeyPair::generate().expect("generate a CA key");
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
        params.distinguished_name.push(DnType::CommonName, name);
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
        let cert = params.self_signed(&key).expect("self-sign the CA");
        Self {
            pem: cert.pem(),
            issuer: Issuer::new(params, key),
        }
    }

    /// The CA certificate, PEM: what a client is given as its CA file.
    pub fn pem(&self) -> &str {
        &self.pem
    }

    /// A certificate for `names` (host names or IP addresses) signed by this CA.
    pub fn issue(&self, names: &[&str]) -> ServerCert {
        let key = KeyPair::generate().expect("generate a server key");
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names.clone()).expect("server certificate names");
        params
            .distinguished_name
            .push(DnType::CommonName, names.first().cloned().unwrap_or_default());
        let cert = params
            .signed_by(&key, &self.issuer)
            .expect("sign the server certificate");
        ServerCert {
            cert_pem: cert.pem(),
            key_pem: key.serialize_pem(),
        }
    }
}

/// Debian's CA bundle (what the images carry) with `ca` appended: a bundle of many roots, as
/// an operator would give `DATABASE_CA_FILE`/`REDIS_CA_FILE`.
pub fn system_bundle_with(ca: &TestCa) -> String {
    const SYSTEM: &str = "/etc/ssl/certs/ca-certificates.crt";
    let system = std::fs::read_to_string(SYSTEM).unwrap_or_else(|e| {
        panic!("{SYSTEM} is needed by the TLS tests ({e}): apt-get install ca-certificates")
    });
    format!("{system}\n{}", ca.pem())
}

/// A directory removed (with everything in it) when dropped.
pub struct TempDir {
    path: PathBuf,
}

impl TempDir {
    pub fn new(label: &str) -> Self {
        let path = std::env::temp_dir().join(format!("neptu-{label}-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&path).expect("create a temporary directory");
        Self { path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Writes `contents` to `name` inside the directory and returns its path.
    pub fn write(&self, name: &str, contents: &str) -> PathBuf {
        let path = self.path.join(name);
        std::fs::write(&path, contents).expect("write a file in the temporary directory");
        path
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// A port nothing listens on right now, for a server to take.
pub(super) fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind a free port");
    listener.local_addr().expect("local address").port()
}

/// The program on `PATH`. A missing one fails the test loudly: these tests are never skipped.
pub(super) fn program_on_path(name: &str, package: &str) -> PathBuf {
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(name))
        .find(|candidate| candidate.is_file())
        .unwrap_or_else(|| {
            panic!("`{name}` is not on PATH: the TLS tests need it (apt-get install {package})")
        })
}

/// Waits until something accepts TCP connections on the port; `alive` reports whether the
/// server process is still running (its failure is then reported at once, with `log`).
pub(super) async fn wait_for_port(port: u16, mut alive: impl FnMut() -> bool, log: &Path) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    loop {
        if tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            return;
        }
        let log = || std::fs::read_to_string(log).unwrap_or_default();
        assert!(alive(), "the server exited during start-up:\n{}", log());
        assert!(
            tokio::time::Instant::now() < deadline,
            "the server did not listen on port {port} within 30 s:\n{}",
            log()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}
