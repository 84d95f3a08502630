//! TLS for the simulated API servers: a fresh certificate authority per fleet and one
//! server certificate for `127.0.0.1` / `localhost` signed by it (ECDSA P-256, built here in
//! DER with `ring` doing the signing), and a listener that serves TLS and plain HTTP on the
//! same port (the first byte of a TLS connection is a handshake record, 0x16).
//!
//! kubectl only sends bearer tokens over TLS, so the kubeconfig `sim up` writes uses
//! `https://127.0.0.1:<port>` with the CA as `certificate-authority-data`. Plain HTTP stays
//! available for scripts (`curl -H "Authorization: Bearer ..."`).

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::task::{Context, Poll};
use std::time::Duration;

use ring::rand::SystemRandom;
use ring::signature::{EcdsaKeyPair, KeyPair, ECDSA_P256_SHA256_ASN1_SIGNING};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio_rustls::TlsAcceptor;

use super::admission::base64_encode;

/// The fleet's CA (PEM, for kubeconfigs) and the server configuration for its API servers.
#[derive(Clone)]
pub struct FleetTls {
    /// The CA certificate, PEM.
    pub ca_pem: String,
    acceptor: TlsAcceptor,
}

impl std::fmt::Debug for FleetTls {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FleetTls").finish_non_exhaustive()
    }
}

fn der(tag: u8, content: &[u8]) -> Vec<u8> {
    let mut out = vec![tag];
    let n = content.len();
    if n < 0x80 {
        out.push(n as u8);
    } else {
        let bytes: Vec<u8> = n
            .to_be_bytes()
            .iter()
            .copied()
            .skip_while(|b| *b == 0)
            .collect();
        out.push(0x80 | bytes.len() as u8);
        out.extend(bytes);
    }
    out.extend_from_slice(content);
    out
}

fn seq(parts: &[Vec<u8>]) -> Vec<u8> {
    der(0x30, &parts.concat())
}

fn oid(content: &[u8]) -> Vec<u8> {
    der(0x06, content)
}

fn uint(bytes: &[u8]) -> Vec<u8> {
    let mut b: Vec<u8> = bytes.iter().copied().skip_while(|x| *x == 0).collect();
    if b.is_empty() || b[0] & 0x80 != 0 {
        b.insert(0, 0);
    }
    der(0x02, &b)
}

fn bit_string(content: &[u8]) -> Vec<u8> {
    let mut c = vec![0u8];
    c.extend_from_slice(content);
    der(0x03, &c)
}

const ECDSA_SHA256: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02];
const EC_PUBLIC_KEY: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
const PRIME256V1: &[u8] = &[0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07];
const COMMON_NAME: &[u8] = &[0x55, 0x04, 0x03];
const SUBJECT_ALT_NAME: &[u8] = &[0x55, 0x1d, 0x11];
const BASIC_CONSTRAINTS: &[u8] = &[0x55, 0x1d, 0x13];
const KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x0f];
const EXT_KEY_USAGE: &[u8] = &[0x55, 0x1d, 0x25];
const SERVER_AUTH: &[u8] = &[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x03, 0x01];

fn name(cn: &str) -> Vec<u8> {
    seq(&[der(
        0x31,
        &seq(&[oid(COMMON_NAME), der(0x0c, cn.as_bytes())]),
    )])
}

fn extension(id: &[u8], critical: bool, value: Vec<u8>) -> Vec<u8> {
    let mut parts = vec![oid(id)];
    if critical {
        parts.push(der(0x01, &[0xff]));
    }
    parts.push(der(0x04, &value));
    seq(&parts)
}

fn utc_time(t: k8s_openapi::jiff::Timestamp) -> Vec<u8> {
    der(0x17, t.strftime("%y%m%d%H%M%SZ").to_string().as_bytes())
}

/// A certificate for `subject_key` named `cn`, signed by `issuer_key` as `issuer_cn`.
fn certificate(
    cn: &str,
    subject_key: &EcdsaKeyPair,
    issuer_cn: &str,
    issuer_key: &EcdsaKeyPair,
    ca: bool,
    rng: &SystemRandom,
) -> Result<Vec<u8>, ring::error::Unspecified> {
    use k8s_openapi::jiff::{SignedDuration, Timestamp};
    let now = Timestamp::now();
    let not_before = now - SignedDuration::from_hours(1);
    let not_after = now + SignedDuration::from_hours(24 * 365 * 5);
    let mut serial = [0u8; 16];
    ring::rand::SecureRandom::fill(rng, &mut serial)?;
    serial[0] &= 0x7f;
    let spki = seq(&[
        seq(&[oid(EC_PUBLIC_KEY), oid(PRIME256V1)]),
        bit_string(subject_key.public_key().as_ref()),
    ]);
    let extensions = if ca {
        vec![
            extension(BASIC_CONSTRAINTS, true, seq(&[der(0x01, &[0xff])])),
            // digitalSignature, keyCertSign, cRLSign.
            extension(KEY_USAGE, true, der(0x03, &[0x01, 0x86])),
        ]
    } else {
        vec![
            extension(BASIC_CONSTRAINTS, true, seq(&[])),
            // digitalSignature.
            extension(KEY_USAGE, true, der(0x03, &[0x07, 0x80])),
            extension(EXT_KEY_USAGE, false, seq(&[oid(SERVER_AUTH)])),
            extension(
                SUBJECT_ALT_NAME,
                false,
                seq(&[der(0x82, b"localhost"), der(0x87, &[127, 0, 0, 1])]),
            ),
        ]
    };
    let tbs = seq(&[
        der(0xa0, &uint(&[2])),
        uint(&serial),
        seq(&[oid(ECDSA_SHA256)]),
        name(issuer_cn),
        seq(&[utc_time(not_before), utc_time(not_after)]),
        name(cn),
        spki,
        der(0xa3, &seq(&extensions)),
    ]);
    let sig = issuer_key.sign(rng, &tbs)?;
    Ok(seq(&[
        tbs,
        seq(&[oid(ECDSA_SHA256)]),
        bit_string(sig.as_ref()),
    ]))
}

fn pem(label: &str, der: &[u8]) -> String {
    let b64 = base64_encode(der);
    let mut out = format!("-----BEGIN {label}-----\n");
    for chunk in b64.as_bytes().chunks(64) {
        out.push_str(std::str::from_utf8(chunk).unwrap_or_default());
        out.push('\n');
    }
    out.push_str(&format!("-----END {label}-----\n"));
    out
}

impl FleetTls {
    /// A new CA and server certificate (the keys live only in this process).
    pub fn generate() -> Result<FleetTls, String> {
        let rng = SystemRandom::new();
        let alg = &ECDSA_P256_SHA256_ASN1_SIGNING;
        let err = |e: ring::error::Unspecified| format!("generating the simulator's TLS keys: {e}");
        let ca_pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).map_err(err)?;
        let ca_key = EcdsaKeyPair::from_pkcs8(alg, ca_pkcs8.as_ref(), &rng)
            .map_err(|e| format!("simulator CA key: {e}"))?;
        let srv_pkcs8 = EcdsaKeyPair::generate_pkcs8(alg, &rng).map_err(err)?;
        let srv_key = EcdsaKeyPair::from_pkcs8(alg, srv_pkcs8.as_ref(), &rng)
            .map_err(|e| format!("simulator server key: {e}"))?;
        let ca_cn = "kubectl-fleet-sim-ca";
        let ca_der = certificate(ca_cn, &ca_key, ca_cn, &ca_key, true, &rng).map_err(err)?;
        let srv_der =
            certificate("kubectl-fleet-sim", &srv_key, ca_cn, &ca_key, false, &rng).map_err(err)?;
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let config = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| format!("simulator TLS config: {e}"))?
            .with_no_client_auth()
            .with_single_cert(
                vec![
                    rustls::pki_types::CertificateDer::from(srv_der),
                    rustls::pki_types::CertificateDer::from(ca_der.clone()),
                ],
                rustls::pki_types::PrivateKeyDer::Pkcs8(srv_pkcs8.as_ref().to_vec().into()),
            )
            .map_err(|e| format!("simulator TLS config: {e}"))?;
        let mut config = config;
        config.alpn_protocols = vec![b"http/1.1".to_vec()];
        Ok(FleetTls {
            ca_pem: pem("CERTIFICATE", &ca_der),
            acceptor: TlsAcceptor::from(Arc::new(config)),
        })
    }
}

/// A connection accepted by [`DualListener`]: TLS or plain.
pub enum Conn {
    /// Plain HTTP.
    Plain(TcpStream),
    /// HTTPS.
    Tls(Box<tokio_rustls::server::TlsStream<TcpStream>>),
}

impl AsyncRead for Conn {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_read(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
        }
    }
}

impl AsyncWrite for Conn {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_write(cx, buf),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, buf),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_flush(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match self.get_mut() {
            Conn::Plain(s) => Pin::new(s).poll_shutdown(cx),
            Conn::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
        }
    }
}

/// A TCP listener that serves TLS to clients that start a TLS handshake and plain HTTP to
/// the others. Handshakes run in their own tasks, so a slow client does not hold up others.
pub struct DualListener {
    local: SocketAddr,
    rx: tokio::sync::mpsc::Receiver<(Conn, SocketAddr)>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for DualListener {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl DualListener {
    /// Wraps a bound listener.
    pub fn new(listener: TcpListener, tls: &FleetTls) -> io::Result<DualListener> {
        let local = listener.local_addr()?;
        let (tx, rx) = tokio::sync::mpsc::channel(64);
        let acceptor = tls.acceptor.clone();
        let task = tokio::spawn(async move {
            loop {
                let (stream, addr) = match listener.accept().await {
                    Ok(x) => x,
                    Err(_) => {
                        tokio::time::sleep(Duration::from_millis(5)).await;
                        continue;
                    }
                };
                let tx = tx.clone();
                let acceptor = acceptor.clone();
                tokio::spawn(async move {
                    let mut first = [0u8; 1];
                    let peeked =
                        tokio::time::timeout(Duration::from_secs(10), stream.peek(&mut first))
                            .await;
                    let conn = match peeked {
                        Ok(Ok(1)) if first[0] == 0x16 => {
                            match tokio::time::timeout(
                                Duration::from_secs(10),
                                acceptor.accept(stream),
                            )
                            .await
                            {
                                Ok(Ok(s)) => Conn::Tls(Box::new(s)),
                                _ => return,
                            }
                        }
                        Ok(Ok(_)) => Conn::Plain(stream),
                        _ => return,
                    };
                    let _ = tx.send((conn, addr)).await;
                });
            }
        });
        Ok(DualListener { local, rx, task })
    }
}

impl axum::serve::Listener for DualListener {
    type Io = Conn;
    type Addr = SocketAddr;

    async fn accept(&mut self) -> (Self::Io, Self::Addr) {
        match self.rx.recv().await {
            Some(c) => c,
            None => std::future::pending().await,
        }
    }

    fn local_addr(&self) -> io::Result<Self::Addr> {
        Ok(self.local)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn der_lengths_use_the_long_form_above_127() {
        assert_eq!(der(0x04, &[1, 2]), vec![0x04, 2, 1, 2]);
        let long = der(0x04, &[0u8; 200]);
        assert_eq!(&long[..3], &[0x04, 0x81, 200]);
        let longer = der(0x04, &[0u8; 300]);
        assert_eq!(&longer[..4], &[0x04, 0x82, 0x01, 0x2c]);
        assert_eq!(uint(&[0x80]), vec![0x02, 2, 0, 0x80]);
        assert_eq!(uint(&[0, 0, 5]), vec![0x02, 1, 5]);
    }

    #[test]
    fn generated_certificates_form_a_valid_pem_ca() {
        let tls = FleetTls::generate().unwrap();
        assert!(tls.ca_pem.starts_with("-----BEGIN CERTIFICATE-----\n"));
        assert!(tls.ca_pem.trim_end().ends_with("-----END CERTIFICATE-----"));
    }
}
