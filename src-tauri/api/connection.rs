//! Where this PC's data lives (issue 22): its own file, or the department's shared database.
//! The window's 设置 → 数据库 builds the address from its fields, tests it, and remembers the
//! choice for this user on this PC in a small file of the OS config folder, readable by that
//! user alone; the next start of the window or the command line goes straight there (`--db`
//! and `GENJIN_DB` still come first).

use crate::error::{Error, Result};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// A shared database as the window's fields give it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq, Eq)]
#[serde(default)]
pub struct ServerInput {
    /// A name or address (`192.168.1.10`), or a unix socket's folder (`/run/postgresql`).
    pub host: String,
    /// Empty: 5432.
    pub port: String,
    pub database: String,
    pub user: String,
    pub password: String,
    /// `prefer` (empty), `require` or `disable`.
    pub tls: String,
}

/// What stays as it is in an address's parts: letters, digits and `-._~`.
const PART: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

impl ServerInput {
    /// The `postgres://` address of these fields, each part encoded (a password with `@` or
    /// `/` in it stays a password). Refused, naming the field: a missing host, database or
    /// user, a port that is no port, a TLS mode not offered.
    pub fn url(&self) -> Result<String> {
        let need = |v: &str, field: &str, what: &str| -> Result<String> {
            let v = v.trim();
            if v.is_empty() {
                return Err(Error::invalid(field, format!("请填写{what}")));
            }
            Ok(utf8_percent_encode(v, PART).to_string())
        };
        let host = host_part(&self.host)?;
        let database = need(&self.database, "database", "数据库名")?;
        let user = need(&self.user, "user", "用户名")?;
        let port = match self.port.trim() {
            "" => 5432,
            p => p.parse::<u16>().ok().filter(|p| *p > 0).ok_or_else(|| {
                Error::invalid("port", format!("端口应是 1–65535 之间的数字，不是“{p}”"))
            })?,
        };
        let tls = match self.tls.trim() {
            "" | "prefer" => "prefer",
            "require" => "require",
            "disable" => "disable",
            other => {
                return Err(Error::invalid(
                    "tls",
                    format!("加密方式只能是 prefer、require 或 disable，不是“{other}”"),
                ))
            }
        };
        let password = if self.password.is_empty() {
            String::new()
        } else {
            format!(":{}", utf8_percent_encode(&self.password, PART))
        };
        Ok(format!(
            "postgres://{user}{password}@{host}:{port}/{database}?sslmode={tls}"
        ))
    }

    /// The fields of a remembered address, the password left out (the window never shows it).
    pub fn of_url(url: &str) -> Option<ServerInput> {
        let [host, port, database, user, tls] = crate::store::sql::server_parts(url)?;
        Some(ServerInput {
            host,
            port,
            database,
            user,
            password: String::new(),
            tls,
        })
    }
}

/// The host as an address writes it: a name or IPv4 address encoded as a part, an IPv6
/// address in brackets, a unix socket's folder encoded. A port typed into it is refused (it has
/// its own field).
fn host_part(host: &str) -> Result<String> {
    let host = host.trim();
    if host.is_empty() {
        return Err(Error::invalid("host", "请填写服务器地址"));
    }
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if let Ok(v6) = bare.parse::<std::net::Ipv6Addr>() {
        return Ok(format!("[{v6}]"));
    }
    if host.contains(':') {
        return Err(Error::invalid(
            "host",
            format!("服务器地址“{host}”中不要写端口，端口请填在“端口”一栏"),
        ));
    }
    Ok(utf8_percent_encode(host, PART).to_string())
}

/// What this user chose on this PC.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
struct Remembered {
    /// The shared database's address; `None`: this PC's own file.
    shared: Option<String>,
}

/// The file that remembers the choice: `database.json` in this user's local config folder
/// (`~/.config/cn.genjin.desktop` on Linux, `%LOCALAPPDATA%\cn.genjin.desktop` on Windows:
/// the local one, which a roaming profile does not copy to a file server — it holds the
/// database password). `None` when the system names no such folder.
pub fn config_path() -> Option<PathBuf> {
    Some(
        dirs::config_local_dir()?
            .join(crate::IDENTIFIER)
            .join("database.json"),
    )
}

/// The shared database this user chose on this PC, if any. No file: this PC's own. A file that
/// cannot be read or understood is an error, never taken for "this PC's file" (the data would
/// split in two).
pub fn remembered() -> Result<Option<String>> {
    let Some(path) = config_path() else {
        return Ok(None);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(Error::invalid(
                "db",
                format!(
                    "读不到本机记住的数据库选择“{}”：{}。请在窗口的 设置 → 数据库 中重新选择",
                    path.display(),
                    crate::error::io_reason(&e)
                ),
            ))
        }
    };
    serde_json::from_str::<Remembered>(&text)
        .map(|r| r.shared)
        .map_err(|_| {
            Error::invalid(
                "db",
                format!(
                    "本机记住的数据库选择“{}”已损坏，无法得知该打开哪个数据库。请在窗口的 设置 → 数据库 中重新选择",
                    path.display()
                ),
            )
        })
}

/// `input`'s address; a password left blank for the server remembered (the window never shows
/// it) is the remembered one.
pub fn url_keeping_password(input: &ServerInput) -> Result<String> {
    let url = input.url()?;
    if input.password.is_empty() {
        if let Ok(Some(old)) = remembered() {
            let same = ServerInput::of_url(&old).map(|o| ServerInput {
                password: String::new(),
                ..o
            }) == ServerInput::of_url(&url);
            if same {
                return Ok(old);
            }
        }
    }
    Ok(url)
}

/// Remembers `shared` (`None`: this PC's own file) for the next start, in a file only this
/// user may read (it holds the database password).
pub fn remember(shared: Option<&str>) -> Result<()> {
    let path = config_path().ok_or_else(|| {
        Error::Io(std::io::Error::other(
            "系统没有为本用户提供配置文件夹，无法记住这个选择",
        ))
    })?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let text = serde_json::to_string_pretty(&Remembered {
        shared: shared.map(str::to_string),
    })
    .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    // a file of this save's own (two windows saving at once never share one), made new and
    // owner-only; one left by a process that died is removed first
    static SAVES: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let part = path.with_extension(format!(
        "json-part-{}-{}",
        std::process::id(),
        SAVES.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
    ));
    let _ = std::fs::remove_file(&part);
    {
        use std::io::Write;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut f = options.open(&part)?;
        f.write_all(text.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&part, &path)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_make_an_address_with_each_part_encoded() {
        let input = ServerInput {
            host: "192.168.1.10".into(),
            port: String::new(),
            database: "跟进".into(),
            user: "genjin".into(),
            password: "a@b/c:d".into(),
            tls: String::new(),
        };
        let url = input.url().unwrap();
        assert_eq!(
            url,
            "postgres://genjin:a%40b%2Fc%3Ad@192.168.1.10:5432/%E8%B7%9F%E8%BF%9B?sslmode=prefer"
        );
        // the store reads it back as typed
        let back = ServerInput::of_url(&url).unwrap();
        assert_eq!(
            (
                back.host.as_str(),
                back.port.as_str(),
                back.database.as_str()
            ),
            ("192.168.1.10", "5432", "跟进")
        );
        assert_eq!((back.user.as_str(), back.password.as_str()), ("genjin", ""));
        // a unix socket's folder is a host too
        let socket = ServerInput {
            host: "/run/postgresql".into(),
            ..input.clone()
        };
        assert!(socket.url().unwrap().contains("@%2Frun%2Fpostgresql:5432/"));
        // an IPv6 address in brackets; a port typed into the host is refused
        let v6 = ServerInput {
            host: "::1".into(),
            ..input.clone()
        };
        assert!(v6.url().unwrap().contains("@[::1]:5432/"));
        assert_eq!(ServerInput::of_url(&v6.url().unwrap()).unwrap().host, "::1");
        for (bad, field) in [
            (
                ServerInput {
                    host: "192.168.1.10:5433".into(),
                    ..input.clone()
                },
                "host",
            ),
            (
                ServerInput {
                    host: " ".into(),
                    ..input.clone()
                },
                "host",
            ),
            (
                ServerInput {
                    port: "70000".into(),
                    ..input.clone()
                },
                "port",
            ),
            (
                ServerInput {
                    tls: "verify-full".into(),
                    ..input.clone()
                },
                "tls",
            ),
            (
                ServerInput {
                    user: String::new(),
                    ..input.clone()
                },
                "user",
            ),
        ] {
            assert_eq!(bad.url().unwrap_err().field(), Some(field));
        }
    }
}
