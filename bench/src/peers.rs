//! The Node peers, driven over stdio: one JSON line per command, one JSON line per answer.
//! Every wait for an answer is bounded: a process that does not answer in time is stopped, and
//! the call (and every later one) is an error.

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError};
use std::time::Duration;

use serde_json::Value;

use crate::gocua::BResult;

/// The longest any one command may take unless the caller says otherwise.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(1200);

pub struct NodeProc {
    child: Child,
    stdin: ChildStdin,
    /// Lines of the process's stdout, read by a thread of their own.
    lines: Receiver<std::io::Result<String>>,
    /// Set when a call timed out: the line protocol is out of step, the process was stopped.
    broken: bool,
}

impl NodeProc {
    pub fn start(node_dir: &Path, script: &str) -> BResult<NodeProc> {
        NodeProc::start_with(node_dir, script, &[])
    }

    /// Starts `script` with arguments (a data directory, ...).
    pub fn start_with(node_dir: &Path, script: &str, args: &[&OsStr]) -> BResult<NodeProc> {
        let mut child = Command::new("node")
            .arg(node_dir.join(script))
            .args(args)
            .current_dir(node_dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()?;
        let stdin = child.stdin.take().ok_or("stdin")?;
        let stdout = BufReader::new(child.stdout.take().ok_or("stdout")?);
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in stdout.lines() {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Ok(NodeProc {
            child,
            stdin,
            lines,
            broken: false,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Reads one JSON line (a server's greeting, or an answer), waiting at most `timeout`.
    pub fn read_within(&mut self, timeout: Duration) -> BResult<Value> {
        if self.broken {
            return Err("node process stopped after an earlier timeout".into());
        }
        match self.lines.recv_timeout(timeout) {
            Ok(line) => Ok(serde_json::from_str(&line?)?),
            Err(RecvTimeoutError::Disconnected) => Err("node process ended".into()),
            Err(RecvTimeoutError::Timeout) => {
                self.broken = true;
                let _ = self.child.kill();
                Err(format!(
                    "no answer in {} s (node process stopped)",
                    timeout.as_secs()
                )
                .into())
            }
        }
    }

    pub fn read(&mut self) -> BResult<Value> {
        self.read_within(DEFAULT_TIMEOUT)
    }

    /// Sends a command and waits for its answer (at most `timeout`); an answer with
    /// `ok: false` is an error.
    pub fn call_within(&mut self, msg: Value, timeout: Duration) -> BResult<Value> {
        self.send(&msg)?;
        self.answer(msg["op"].as_str().unwrap_or("?"), timeout)
    }

    /// Sends a command without waiting for its answer (see `answer`): two processes can work
    /// at once.
    pub fn send(&mut self, msg: &Value) -> BResult<()> {
        if self.broken {
            return Err("node process stopped after an earlier timeout".into());
        }
        writeln!(self.stdin, "{msg}")?;
        self.stdin.flush()?;
        Ok(())
    }

    /// The answer to the command `send` sent (`op` names it in an error).
    pub fn answer(&mut self, op: &str, timeout: Duration) -> BResult<Value> {
        let v = self.read_within(timeout)?;
        if v["ok"] != Value::Bool(true) {
            return Err(format!("node: {op}: {}", v["error"]).into());
        }
        Ok(v)
    }

    /// `call_within` with the default bound.
    pub fn call(&mut self, msg: Value) -> BResult<Value> {
        self.call_within(msg, DEFAULT_TIMEOUT)
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
