//! The PostgreSQL engine under [`super::Conn`]: tokio-postgres on a thread of its own.
//!
//! The client runs on a dedicated OS thread with its own single-threaded tokio runtime; the
//! store's calls reach it over a channel and wait for the answer. So a call works from any
//! thread — the window's commands run on tokio's blocking threads, where starting a runtime (as
//! the blocking `postgres` crate does) panics.

use super::{Arg, Column, DbError, DbKind, Result, Value, ValueRef};
use bytes::BytesMut;
use std::collections::HashMap;
use std::sync::{mpsc, Arc};
use tokio_postgres::types::{FromSql, IsNull, ToSql, Type};

/// One row as read: its values, with the statement's column names.
pub(crate) struct PgRow {
    columns: Arc<[String]>,
    values: Vec<Value>,
}

type Rows = Vec<PgRow>;

enum Job {
    Query {
        sql: String,
        args: Vec<Value>,
        reply: mpsc::Sender<Result<Rows>>,
    },
    Execute {
        sql: String,
        args: Vec<Value>,
        reply: mpsc::Sender<Result<u64>>,
    },
    Batch {
        sql: String,
        reply: mpsc::Sender<Result<()>>,
    },
    Copy {
        sql: String,
        data: Vec<u8>,
        reply: mpsc::Sender<Result<u64>>,
    },
}

/// A connection to a PostgreSQL database.
pub(crate) struct PgConn {
    jobs: Option<tokio::sync::mpsc::UnboundedSender<Job>>,
    worker: Option<std::thread::JoinHandle<()>>,
    /// `host:port/dbname`, for messages.
    pub(crate) label: String,
    /// The answers still to come of `COPY`s sent without waiting ([`PgConn::copy_in`]), oldest
    /// first: the next call that waits reads them, and a failed one is that call's error.
    in_flight: std::sync::Mutex<std::collections::VecDeque<mpsc::Receiver<Result<u64>>>>,
    /// What this connection heard of others' changes (issue 22), once it listens.
    pub(crate) heard: Arc<Heard>,
}

/// The channel every change is announced on: a statement trigger on each table of what people
/// record (migration 13) sends `table pid`, the pid of the server process that wrote it.
pub(crate) const CHANGES: &str = "genjin_changes";

/// Changes announced on [`CHANGES`] by other sessions (another PC, another window, the command
/// line) since they were last taken: this session's own are told apart by their pid.
#[derive(Default)]
pub(crate) struct Heard {
    /// This session's server process.
    own: std::sync::atomic::AtomicI32,
    /// `LISTEN` has been sent.
    pub(crate) listening: std::sync::atomic::AtomicBool,
    others: std::sync::atomic::AtomicU64,
    /// The connection to the server is gone (the next call opens a new one).
    pub(crate) lost: std::sync::atomic::AtomicBool,
}

impl Heard {
    fn note(&self, payload: &str) {
        use std::sync::atomic::Ordering::Relaxed;
        let pid = payload
            .rsplit(' ')
            .next()
            .and_then(|p| p.parse::<i32>().ok());
        if pid != Some(self.own.load(Relaxed)) {
            self.others.fetch_add(1, Relaxed);
        }
    }

    /// Whether others changed anything since the last call.
    pub(crate) fn take(&self) -> bool {
        self.others.swap(0, std::sync::atomic::Ordering::Relaxed) > 0
    }
}

/// Drives a connection as `tokio::spawn(connection)` would, and notes the notifications it
/// brings (which the connection's own future drops).
async fn drive<S, T>(mut connection: tokio_postgres::Connection<S, T>, heard: Arc<Heard>)
where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
    T: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin,
{
    while let Some(Ok(message)) = std::future::poll_fn(|cx| connection.poll_message(cx)).await {
        if let tokio_postgres::AsyncMessage::Notification(n) = message {
            heard.note(n.payload());
        }
    }
    heard.lost.store(true, std::sync::atomic::Ordering::Relaxed);
}

impl Job {
    /// Answers the job with `e`, without running it.
    fn fail(self, e: DbError) {
        match self {
            Job::Query { reply, .. } => {
                let _ = reply.send(Err(e));
            }
            Job::Execute { reply, .. } | Job::Copy { reply, .. } => {
                let _ = reply.send(Err(e));
            }
            Job::Batch { reply, .. } => {
                let _ = reply.send(Err(e));
            }
        }
    }
}

/// What a call gets when the connection went while a transaction was open: the server has
/// rolled it back (issue 22: all or nothing, and the next call connects again).
fn lost_in_transaction() -> DbError {
    DbError::new(
        DbKind::Disconnected,
        "the connection to the server was lost during the transaction",
    )
}

/// Opens a session as the store uses it: TLS as `config` asks (never over a unix socket),
/// parallel workers and JIT off (where the server has JIT), a 10 s lock wait, and this
/// session's pid noted in `heard` (its own changes are not news).
async fn open(
    config: &tokio_postgres::Config,
    heard: &Arc<Heard>,
) -> std::result::Result<tokio_postgres::Client, (ConnectFailure, String)> {
    let tls = tls().map_err(|why| (ConnectFailure::Other, why))?;
    // a unix socket is never encrypted (the server says no, whatever sslmode asks: libpq
    // ignores it there), and its path is no name a certificate could carry: no TLS there
    #[cfg(unix)]
    let local = !config.get_hosts().is_empty()
        && config
            .get_hosts()
            .iter()
            .all(|h| matches!(h, tokio_postgres::config::Host::Unix(_)));
    #[cfg(not(unix))]
    let local = false;
    let mut config = config.clone();
    if local {
        config.ssl_mode(tokio_postgres::config::SslMode::Disable);
    }
    let mode = config.get_ssl_mode();
    let failed = |e: tokio_postgres::Error| (classify(&e, mode), said(&e));
    let client = if local {
        let (c, conn) = config
            .connect(tokio_postgres::NoTls)
            .await
            .map_err(failed)?;
        tokio::spawn(drive(conn, heard.clone()));
        c
    } else {
        let (c, conn) = config.connect(tls).await.map_err(failed)?;
        tokio::spawn(drive(conn, heard.clone()));
        c
    };
    // the register's pages read a UNION ALL's arms in order (store::register): parallel
    // workers could interleave them; a writer waits for the write lock as long as on a file
    // (10 s), then is told the database is busy; no statement of Genjin's runs long enough to
    // gain from compiling it (JIT), and one read through indexes (Conn::through_indexes)
    // looks costly enough to the planner that compiling it took 130 ms
    client
        .batch_execute(
            "SET max_parallel_workers_per_gather = 0; SET lock_timeout = '10s';
             SELECT set_config('jit', 'off', false) FROM pg_settings WHERE name = 'jit'",
        )
        .await
        .map_err(failed)?;
    let row = client
        .query_one("SELECT pg_backend_pid()", &[])
        .await
        .map_err(failed)?;
    heard
        .own
        .store(row.get(0), std::sync::atomic::Ordering::Relaxed);
    Ok(client)
}

/// `COPY`s sent ahead of their answers at most: the client builds the next batch while the
/// server writes these.
const AHEAD: usize = 4;

/// Why a connection could not be made, by kind (the shells say it in Chinese).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ConnectFailure {
    Unreachable,
    WrongPassword,
    NoDatabase,
    /// The server takes only encrypted connections and the URL said `sslmode=disable`.
    TlsRequired,
    /// An encrypted connection was asked for (`sslmode=require`) and could not be made.
    TlsFailed,
    /// The server offered encryption and the handshake failed (`prefer` does not fall back).
    TlsHandshake,
    /// The server's access rules (pg_hba.conf) have no line for this PC, user and database.
    NotAllowed,
    Other,
}

fn classify(e: &tokio_postgres::Error, mode: tokio_postgres::config::SslMode) -> ConnectFailure {
    use tokio_postgres::config::SslMode;
    use tokio_postgres::error::SqlState;
    if let Some(code) = e.code() {
        if *code == SqlState::INVALID_PASSWORD {
            return ConnectFailure::WrongPassword;
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return ConnectFailure::NoDatabase;
        }
        if *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION {
            let text = said(e);
            // every pg_hba refusal names the attempt's encryption ("no encryption"): it says
            // the server wants encryption only when this attempt was plain by the URL's choice
            if text.contains("pg_hba.conf") {
                return if mode == SslMode::Disable && text.contains("no encryption") {
                    ConnectFailure::TlsRequired
                } else {
                    ConnectFailure::NotAllowed
                };
            }
            return ConnectFailure::WrongPassword;
        }
        return ConnectFailure::Other;
    }
    let text = said(e);
    if text.contains("TLS") || text.contains("tls") || text.contains("SSL") {
        return if mode == SslMode::Require {
            ConnectFailure::TlsFailed
        } else {
            ConnectFailure::TlsHandshake
        };
    }
    if text.contains("password missing") {
        return ConnectFailure::WrongPassword;
    }
    ConnectFailure::Unreachable
}

/// What went wrong, in the server's words (its message) or the chain of causes (a refused
/// connection's OS error): tokio-postgres' own text alone is "db error".
pub(crate) fn said(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return db.message().to_string();
    }
    let mut out = e.to_string();
    let mut cause = std::error::Error::source(e);
    while let Some(c) = cause {
        out.push_str(": ");
        out.push_str(&c.to_string());
        cause = c.source();
    }
    out
}

/// libpq's `sslmode=require` (and `prefer` when the server offers it): the connection is
/// encrypted; the server's certificate is not checked against an authority — a department's
/// server usually has a self-signed one — while the handshake's signatures are still verified
/// with the certificate's key.
#[derive(Debug)]
struct EncryptOnly(Arc<rustls::crypto::CryptoProvider>);

impl rustls::client::danger::ServerCertVerifier for EncryptOnly {
    fn verify_server_cert(
        &self,
        _end_entity: &rustls::pki_types::CertificateDer<'_>,
        _intermediates: &[rustls::pki_types::CertificateDer<'_>],
        _server_name: &rustls::pki_types::ServerName<'_>,
        _ocsp_response: &[u8],
        _now: rustls::pki_types::UnixTime,
    ) -> std::result::Result<rustls::client::danger::ServerCertVerified, rustls::Error> {
        Ok(rustls::client::danger::ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &rustls::pki_types::CertificateDer<'_>,
        dss: &rustls::DigitallySignedStruct,
    ) -> std::result::Result<rustls::client::danger::HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<rustls::SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// The TLS side of a connection: rustls with the ring provider (no OpenSSL to install on
/// Windows), used when the URL's `sslmode` is `prefer` (the default) or `require`.
fn tls() -> std::result::Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    // ring rather than aws-lc-rs: it builds with a C compiler alone (no cmake or NASM on a
    // Windows build machine); post-quantum key exchange is not what a LAN server needs
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(EncryptOnly(provider)))
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// The parts of a URL that say where, for messages (never the password).
pub(crate) fn describe(config: &tokio_postgres::Config) -> String {
    use tokio_postgres::config::Host;
    let host = match config.get_hosts().first() {
        Some(Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    let db = config
        .get_dbname()
        .or(config.get_user())
        .unwrap_or("postgres");
    format!("{host}:{port}/{db}")
}

pub(crate) fn parse(url: &str) -> std::result::Result<tokio_postgres::Config, String> {
    url.parse::<tokio_postgres::Config>()
        .map_err(|e| e.to_string())
}

impl PgConn {
    /// Connects (waiting at most `timeout` for the server), or says why not.
    pub(crate) fn connect(
        config: tokio_postgres::Config,
    ) -> std::result::Result<PgConn, (ConnectFailure, String)> {
        let label = describe(&config);
        let heard = Arc::new(Heard::default());
        let hears = heard.clone();
        let (jobs, mut queue) = tokio::sync::mpsc::unbounded_channel::<Job>();
        let (ready, opened) = mpsc::channel::<std::result::Result<(), (ConnectFailure, String)>>();
        let worker = std::thread::Builder::new()
            .name("genjin-postgres".into())
            .spawn(move || {
                let rt = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(e) => {
                        let _ = ready.send(Err((ConnectFailure::Other, e.to_string())));
                        return;
                    }
                };
                rt.block_on(async move {
                    let mut config = config;
                    if config.get_connect_timeout().is_none() {
                        config.connect_timeout(std::time::Duration::from_secs(10));
                    }
                    // a server gone without a word (cable, crash) is noticed within a minute
                    config.keepalives_idle(std::time::Duration::from_secs(30));
                    config.tcp_user_timeout(std::time::Duration::from_secs(60));
                    let mut client = match open(&config, &hears).await {
                        Ok(client) => client,
                        Err(why) => {
                            let _ = ready.send(Err(why));
                            return;
                        }
                    };
                    let _ = ready.send(Ok(()));
                    let mut cache: HashMap<String, tokio_postgres::Statement> = HashMap::new();
                    // a transaction is open on this session (begun, not yet ended)
                    let mut in_tx = false;
                    // connecting again waits less: the window's calls wait behind it
                    let mut again = config.clone();
                    again.connect_timeout(std::time::Duration::from_secs(3));
                    while let Some(mut job) = queue.recv().await {
                        let (begins, ends) = match &job {
                            Job::Batch { sql, .. } => {
                                let head = sql.trim_start().to_ascii_uppercase();
                                (
                                    head.starts_with("BEGIN"),
                                    head.starts_with("COMMIT") || head.starts_with("ROLLBACK"),
                                )
                            }
                            _ => (false, false),
                        };
                        // the server went away (restarted, the network cut): a transaction
                        // open then is gone whole, and its calls fail until it ends; any other
                        // call connects again first (issue 22)
                        if client.is_closed() {
                            if in_tx {
                                in_tx = !ends;
                                job.fail(lost_in_transaction());
                                continue;
                            }
                            // nothing is open to roll back (a BEGIN that failed): done, without
                            // connecting for it
                            if let Job::Batch { sql, reply } = job {
                                if sql
                                    .trim_start()
                                    .to_ascii_uppercase()
                                    .starts_with("ROLLBACK")
                                {
                                    let _ = reply.send(Ok(()));
                                    continue;
                                }
                                job = Job::Batch { sql, reply };
                            }
                            match open(&again, &hears).await {
                                Ok(reopened) => {
                                    client = reopened;
                                    cache.clear();
                                    use std::sync::atomic::Ordering::Relaxed;
                                    hears.lost.store(false, Relaxed);
                                    // listened again by the next ask; what changed meanwhile
                                    // is news
                                    hears.listening.store(false, Relaxed);
                                    hears.others.fetch_add(1, Relaxed);
                                }
                                Err((_, why)) => {
                                    job.fail(DbError::new(DbKind::Disconnected, why));
                                    continue;
                                }
                            }
                        }
                        match job {
                            Job::Query { sql, args, reply } => {
                                let out = run_query(&client, &mut cache, &sql, &args)
                                    .await
                                    .map_err(|e| with_sql(e, &sql));
                                let _ = reply.send(out);
                            }
                            Job::Execute { sql, args, reply } => {
                                let out = run_execute(&client, &mut cache, &sql, &args)
                                    .await
                                    .map_err(|e| with_sql(e, &sql));
                                let _ = reply.send(out);
                            }
                            Job::Batch { sql, reply } => {
                                let out = client.batch_execute(&sql).await.map_err(db_error);
                                if begins && out.is_ok() {
                                    in_tx = true;
                                }
                                if ends {
                                    in_tx = false;
                                }
                                let _ = reply.send(out);
                            }
                            Job::Copy { sql, data, reply } => {
                                let out = run_copy(&client, &sql, data)
                                    .await
                                    .map_err(|e| with_sql(e, &sql));
                                let _ = reply.send(out);
                            }
                        }
                    }
                });
            })
            .map_err(|e| (ConnectFailure::Other, e.to_string()))?;
        match opened.recv() {
            Ok(Ok(())) => Ok(PgConn {
                jobs: Some(jobs),
                worker: Some(worker),
                label,
                in_flight: Default::default(),
                heard,
            }),
            Ok(Err(why)) => {
                let _ = worker.join();
                Err(why)
            }
            Err(_) => {
                let _ = worker.join();
                Err((ConnectFailure::Other, "connection thread ended".into()))
            }
        }
    }

    fn send<T>(&self, job: impl FnOnce(mpsc::Sender<Result<T>>) -> Job) -> Result<T> {
        let answer = self.post(job)?;
        let out = answer.recv().map_err(|_| gone());
        // the worker answers in order: every COPY sent before has its answer by now, and a
        // failed one is this call's error (the transaction it was in is aborted)
        self.settle(0)?;
        out?
    }

    /// Queues a job; its answer comes on the receiver.
    fn post<T>(
        &self,
        job: impl FnOnce(mpsc::Sender<Result<T>>) -> Job,
    ) -> Result<mpsc::Receiver<Result<T>>> {
        let (reply, answer) = mpsc::channel();
        self.jobs
            .as_ref()
            .ok_or_else(gone)?
            .send(job(reply))
            .map_err(|_| gone())?;
        Ok(answer)
    }

    /// Waits for the answers of `COPY`s sent ahead until at most `ahead` are left; the first
    /// failure among them is the error.
    fn settle(&self, ahead: usize) -> Result<()> {
        let mut in_flight = self
            .in_flight
            .lock()
            .map_err(|_| DbError::new(DbKind::Other, "COPY queue poisoned"))?;
        let mut first = Ok(());
        while in_flight.len() > ahead {
            let Some(answer) = in_flight.pop_front() else {
                break;
            };
            let out = answer.recv().map_err(|_| gone()).and_then(|r| r);
            if let (Ok(()), Err(e)) = (&first, out) {
                first = Err(e);
            }
        }
        first
    }

    pub(crate) fn query(&self, sql: &str, args: &[Arg<'_>]) -> Result<Rows> {
        let sql = translate(sql);
        let args = args.iter().map(|a| a.value().to_owned()).collect();
        self.send(|reply| Job::Query { sql, args, reply })
    }

    pub(crate) fn execute(&self, sql: &str, args: &[Arg<'_>]) -> Result<usize> {
        let sql = translate(sql);
        let args = args.iter().map(|a| a.value().to_owned()).collect();
        let n = self.send(|reply| Job::Execute { sql, args, reply })?;
        Ok(usize::try_from(n).unwrap_or(usize::MAX))
    }

    pub(crate) fn execute_batch(&self, sql: &str) -> Result<()> {
        let sql = sql.to_string();
        self.send(|reply| Job::Batch { sql, reply })
    }

    /// Sends `COPY … FROM STDIN` (`sql`) with `data` in COPY's text format (see
    /// [`copy_field`]) without waiting for the server to take it, up to [`AHEAD`] at once: its
    /// failure is the error of the next call that waits (a transaction's COMMIT at the latest,
    /// which then fails), so nothing is ever half written.
    pub(crate) fn copy_in(&self, sql: &str, data: Vec<u8>) -> Result<()> {
        let sql = sql.to_string();
        let answer = self.post(|reply| Job::Copy { sql, data, reply })?;
        self.in_flight
            .lock()
            .map_err(|_| DbError::new(DbKind::Other, "COPY queue poisoned"))?
            .push_back(answer);
        self.settle(AHEAD)
    }
}

fn gone() -> DbError {
    DbError::new(DbKind::Disconnected, "connection thread ended")
}

/// Appends `v` to `out` as a field of COPY's text format: `\N` for NULL, text with its
/// backslashes, tabs and line breaks escaped, bytes as `bytea`'s hex.
pub(crate) fn copy_field(out: &mut Vec<u8>, v: ValueRef<'_>) {
    match v {
        ValueRef::Null => out.extend_from_slice(b"\\N"),
        ValueRef::Integer(i) => out.extend_from_slice(i.to_string().as_bytes()),
        ValueRef::Real(f) => out.extend_from_slice(format!("{f:?}").as_bytes()),
        ValueRef::Text(t) => {
            for &b in t.as_bytes() {
                match b {
                    b'\\' => out.extend_from_slice(b"\\\\"),
                    b'\t' => out.extend_from_slice(b"\\t"),
                    b'\n' => out.extend_from_slice(b"\\n"),
                    b'\r' => out.extend_from_slice(b"\\r"),
                    _ => out.push(b),
                }
            }
        }
        ValueRef::Blob(bytes) => {
            // the hex form's own backslash, escaped for COPY
            out.extend_from_slice(b"\\\\x");
            for b in bytes {
                out.extend_from_slice(format!("{b:02x}").as_bytes());
            }
        }
    }
}

async fn run_copy(client: &tokio_postgres::Client, sql: &str, data: Vec<u8>) -> Result<u64> {
    use futures_util::SinkExt;
    let sink = client
        .copy_in::<_, bytes::Bytes>(sql)
        .await
        .map_err(db_error)?;
    let mut sink = std::pin::pin!(sink);
    sink.send(bytes::Bytes::from(data))
        .await
        .map_err(db_error)?;
    sink.as_mut().finish().await.map_err(db_error)
}

impl Drop for PgConn {
    fn drop(&mut self) {
        // closing the queue ends the worker's loop, which drops the client
        self.jobs = None;
        if let Some(w) = self.worker.take() {
            let _ = w.join();
        }
    }
}

/// In a debug build the statement is named with its error (the tests show it).
fn with_sql(e: DbError, sql: &str) -> DbError {
    if cfg!(debug_assertions) && e.kind == DbKind::Other {
        DbError::new(e.kind, format!("{} [SQL: {}]", e.detail, sql))
    } else {
        e
    }
}

async fn statement(
    client: &tokio_postgres::Client,
    cache: &mut HashMap<String, tokio_postgres::Statement>,
    sql: &str,
) -> Result<tokio_postgres::Statement> {
    if let Some(s) = cache.get(sql) {
        return Ok(s.clone());
    }
    let s = client.prepare(sql).await.map_err(db_error)?;
    // statements built at run time (filters, pages) vary: keep the cache bounded
    if cache.len() >= 512 {
        cache.clear();
    }
    cache.insert(sql.to_string(), s.clone());
    Ok(s)
}

async fn run_query(
    client: &tokio_postgres::Client,
    cache: &mut HashMap<String, tokio_postgres::Statement>,
    sql: &str,
    args: &[Value],
) -> Result<Rows> {
    let st = statement(client, cache, sql).await?;
    let params: Vec<PgArg<'_>> = args.iter().map(PgArg).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    let rows = client.query(&st, &refs).await.map_err(db_error)?;
    let columns: Arc<[String]> = st.columns().iter().map(|c| c.name().to_string()).collect();
    rows.iter()
        .map(|r| {
            let values = (0..r.len())
                .map(|i| {
                    r.try_get::<_, PgValue>(i)
                        .map(|v| v.0)
                        .map_err(|e| DbError::new(DbKind::Type, e.to_string()))
                })
                .collect::<Result<Vec<_>>>()?;
            Ok(PgRow {
                columns: columns.clone(),
                values,
            })
        })
        .collect()
}

async fn run_execute(
    client: &tokio_postgres::Client,
    cache: &mut HashMap<String, tokio_postgres::Statement>,
    sql: &str,
    args: &[Value],
) -> Result<u64> {
    let st = statement(client, cache, sql).await?;
    let params: Vec<PgArg<'_>> = args.iter().map(PgArg).collect();
    let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as &(dyn ToSql + Sync)).collect();
    client.execute(&st, &refs).await.map_err(db_error)
}

pub(super) fn value<'r>(row: &'r PgRow, at: Column<'_>) -> Result<ValueRef<'r>> {
    let i = match at {
        Column::At(i) => i,
        Column::Named(n) => row
            .columns
            .iter()
            .position(|c| c == n)
            .ok_or_else(|| DbError::new(DbKind::Other, format!("no column {n}")))?,
    };
    row.values
        .get(i)
        .map(Value::as_ref)
        .ok_or_else(|| DbError::new(DbKind::Other, format!("no column {i}")))
}

pub(crate) fn db_error(e: tokio_postgres::Error) -> DbError {
    use tokio_postgres::error::SqlState as S;
    let kind = match e.code() {
        Some(c)
            if *c == S::UNIQUE_VIOLATION
                || *c == S::FOREIGN_KEY_VIOLATION
                || *c == S::CHECK_VIOLATION
                || *c == S::NOT_NULL_VIOLATION =>
        {
            DbKind::Constraint
        }
        Some(c)
            if *c == S::T_R_SERIALIZATION_FAILURE
                || *c == S::T_R_DEADLOCK_DETECTED
                || *c == S::LOCK_NOT_AVAILABLE =>
        {
            DbKind::Busy
        }
        Some(c) if *c == S::READ_ONLY_SQL_TRANSACTION => DbKind::ReadOnly,
        Some(c) if *c == S::DISK_FULL => DbKind::Full,
        Some(c) if *c == S::DATA_CORRUPTED || *c == S::INDEX_CORRUPTED => DbKind::Corrupt,
        Some(c) if *c == S::INSUFFICIENT_PRIVILEGE => DbKind::PermissionDenied,
        Some(_) => DbKind::Other,
        None if e.is_closed() => DbKind::Disconnected,
        None if e.to_string().contains("error serializing parameter") => DbKind::Type,
        None => DbKind::Disconnected,
    };
    DbError::new(kind, said(&e))
}

/// The store's `?1`/`?` placeholders as PostgreSQL's `$1`; string literals and quoted names are
/// left alone.
pub(crate) fn translate(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut next = 0u32;
    let mut chars = sql.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '?' => {
                let mut digits = String::new();
                while let Some(d) = chars.peek().filter(|d| d.is_ascii_digit()) {
                    digits.push(*d);
                    chars.next();
                }
                if digits.is_empty() {
                    next += 1;
                    digits = next.to_string();
                } else if let Ok(n) = digits.parse::<u32>() {
                    next = next.max(n);
                }
                out.push('$');
                out.push_str(&digits);
            }
            _ => out.push(c),
        }
    }
    out
}

/// A parameter, encoded as the type the server inferred for its place.
#[derive(Debug)]
struct PgArg<'a>(&'a Value);

type BoxError = Box<dyn std::error::Error + Sync + Send>;

impl ToSql for PgArg<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> std::result::Result<IsNull, BoxError> {
        match self.0 {
            Value::Null => Ok(IsNull::Yes),
            Value::Integer(i) => match *ty {
                Type::INT2 => i16::try_from(*i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(*i)?.to_sql(ty, out),
                Type::INT8 => i.to_sql(ty, out),
                Type::BOOL => (*i != 0).to_sql(ty, out),
                #[allow(clippy::cast_precision_loss)]
                Type::FLOAT8 => (*i as f64).to_sql(ty, out),
                #[allow(clippy::cast_precision_loss)]
                Type::FLOAT4 => (*i as f32).to_sql(ty, out),
                Type::NUMERIC => Err(format!("numeric parameter {i}").into()),
                _ => i.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Real(f) => match *ty {
                #[allow(clippy::cast_possible_truncation)]
                Type::FLOAT4 => (*f as f32).to_sql(ty, out),
                Type::FLOAT8 => f.to_sql(ty, out),
                _ => f.to_string().as_str().to_sql(&Type::TEXT, out),
            },
            Value::Text(s) => match *ty {
                Type::INT8 => s.trim().parse::<i64>()?.to_sql(ty, out),
                Type::INT4 => s.trim().parse::<i32>()?.to_sql(ty, out),
                Type::BYTEA => s.as_bytes().to_sql(ty, out),
                _ => s.as_str().to_sql(&Type::TEXT, out),
            },
            Value::Blob(b) => b.as_slice().to_sql(&Type::BYTEA, out),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    tokio_postgres::types::to_sql_checked!();
}

/// A column's value, whichever type the server sent.
struct PgValue(Value);

impl<'a> FromSql<'a> for PgValue {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> std::result::Result<Self, BoxError> {
        Ok(PgValue(match *ty {
            Type::INT2 => Value::Integer(i16::from_sql(ty, raw)?.into()),
            Type::INT4 => Value::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT8 => Value::Integer(i64::from_sql(ty, raw)?),
            Type::OID => Value::Integer(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => Value::Integer(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT4 => Value::Real(f32::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => Value::Real(f64::from_sql(ty, raw)?),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => Value::Blob(raw.to_vec()),
            _ => Value::Text(<&str>::from_sql(&Type::TEXT, raw)?.to_string()),
        }))
    }

    fn from_sql_null(_: &Type) -> std::result::Result<Self, BoxError> {
        Ok(PgValue(Value::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A NUMERIC in the binary format (what `sum` and `avg` of integers give): an integer when it
/// has no fraction, a real otherwise.
fn numeric(raw: &[u8]) -> std::result::Result<Value, BoxError> {
    let word = |i: usize| -> std::result::Result<i16, BoxError> {
        let b = raw.get(i * 2..i * 2 + 2).ok_or("short numeric")?;
        Ok(i16::from_be_bytes([b[0], b[1]]))
    };
    let ndigits = usize::try_from(word(0)?)?;
    let weight = i32::from(word(1)?);
    let sign = u16::from_be_bytes(word(2)?.to_be_bytes());
    let dscale = word(3)?;
    if sign == 0xC000 {
        return Ok(Value::Null);
    }
    let mut int: i128 = 0;
    let mut real: f64 = 0.0;
    let mut fraction = false;
    for k in 0..ndigits {
        let d = word(4 + k)?;
        let power = weight - i32::try_from(k)?;
        real += f64::from(d) * 10000f64.powi(power);
        if power >= 0 {
            int += i128::from(d) * 10000i128.pow(u32::try_from(power)?);
        } else if d != 0 {
            fraction = true;
        }
    }
    let negative = sign == 0x4000;
    if dscale == 0 || !fraction {
        let int = if negative { -int } else { int };
        if let Ok(i) = i64::try_from(int) {
            if !fraction {
                return Ok(Value::Integer(i));
            }
        }
    }
    Ok(Value::Real(if negative { -real } else { real }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_dollars_outside_literals() {
        assert_eq!(
            translate("SELECT a FROM t WHERE b = ?1 AND c = '?' AND d = ?2 OR e = ?1"),
            "SELECT a FROM t WHERE b = $1 AND c = '?' AND d = $2 OR e = $1"
        );
        assert_eq!(translate("VALUES (?, ?, ?)"), "VALUES ($1, $2, $3)");
    }

    #[test]
    fn numerics_read_as_integers_or_reals() {
        // 12345678: ndigits 2, weight 1, sign +, dscale 0, digits 1234 5678
        let raw = [0, 2, 0, 1, 0, 0, 0, 0, 0x04, 0xD2, 0x16, 0x2E];
        assert_eq!(numeric(&raw).unwrap(), Value::Integer(12_345_678));
        // -2.5: ndigits 2, weight 0, sign -, dscale 1, digits 2 5000
        let raw = [0, 2, 0, 0, 0x40, 0, 0, 1, 0, 2, 0x13, 0x88];
        assert_eq!(numeric(&raw).unwrap(), Value::Real(-2.5));
        assert_eq!(
            numeric(&[0, 0, 0, 0, 0, 0, 0, 0]).unwrap(),
            Value::Integer(0)
        );
    }
}
