//! The Node peers, driven over stdio: one JSON line per command, one JSON line per answer.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};

use serde_json::Value;

use crate::gocua::BResult;

pub struct NodeProc {
    child: Child,
    stdin: ChildStdin,
    stdout: BufReader<ChildStdout>,
}

impl NodeProc {
    pub fn start(node_dir: &Path, script: &str) -> BResult<NodeProc> {
        NodeProc::start_with(node_dir, script, &[])
    }

    /// Starts `script` with arguments (a data directory).
    pub fn start_with(node_dir: &Path, script: &str, args: &[&Path]) -> BResult<NodeProc> {
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
        Ok(NodeProc {
            child,
            stdin,
            stdout,
        })
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Reads one JSON line (a server's greeting, or an answer).
    pub fn read(&mut self) -> BResult<Value> {
        let mut line = String::new();
        if self.stdout.read_line(&mut line)? == 0 {
            return Err("node process ended".into());
        }
        Ok(serde_json::from_str(&line)?)
    }

    /// Sends a command and waits for its answer; an answer with `ok: false` is an error.
    pub fn call(&mut self, msg: Value) -> BResult<Value> {
        writeln!(self.stdin, "{msg}")?;
        self.stdin.flush()?;
        let v = self.read()?;
        if v["ok"] != Value::Bool(true) {
            return Err(format!("node: {}: {}", msg["op"], v["error"]).into());
        }
        Ok(v)
    }
}

impl Drop for NodeProc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
