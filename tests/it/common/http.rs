//! A tiny HTTP/1.1 server on 127.0.0.1 for the download tests: it serves
//! files from a table, honours `Range: bytes=N-`, and can answer slowly,
//! cut a body short or redirect. Nothing leaves the loopback interface.

#![allow(dead_code)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Clone)]
pub enum Reply {
    File(Vec<u8>),
    /// Headers at once, then nothing for this long.
    Slow(Vec<u8>, Duration),
    /// Content-Length of the whole file, but only this many bytes sent.
    Truncated(Vec<u8>, usize),
    Redirect(String),
}

/// (path, Range header) of each request, in order.
pub type Requests = Arc<Mutex<Vec<(String, Option<String>)>>>;

pub struct Server {
    pub base: String,
    routes: Arc<Mutex<HashMap<String, Reply>>>,
    /// (path, Range header) of every request.
    pub requests: Requests,
}

impl Server {
    pub fn start() -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind on loopback");
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<Mutex<HashMap<String, Reply>>> = Arc::default();
        let requests: Requests = Arc::default();
        let (r, q) = (routes.clone(), requests.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, q) = (r.clone(), q.clone());
                std::thread::spawn(move || serve(stream, &r, &q));
            }
        });
        Server {
            base,
            routes,
            requests,
        }
    }

    pub fn route(&self, path: &str, reply: Reply) {
        self.routes.lock().unwrap().insert(path.to_string(), reply);
    }
}

fn serve(
    mut stream: TcpStream,
    routes: &Mutex<HashMap<String, Reply>>,
    requests: &Mutex<Vec<(String, Option<String>)>>,
) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_string();
    let mut range = None;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':')
            && name.eq_ignore_ascii_case("range")
        {
            range = Some(value.trim().to_string());
        }
    }
    requests.lock().unwrap().push((path.clone(), range.clone()));
    let reply = routes.lock().unwrap().get(&path).cloned();
    let from = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
    let head = |status: &str, len: usize, extra: &str| {
        format!("HTTP/1.1 {status}\r\nContent-Length: {len}\r\nConnection: close\r\n{extra}\r\n")
    };
    let _ = match reply {
        None => stream.write_all(head("404 Not Found", 0, "").as_bytes()),
        Some(Reply::Redirect(to)) => {
            stream.write_all(head("302 Found", 0, &format!("Location: {to}\r\n")).as_bytes())
        }
        Some(Reply::File(body)) => match from {
            Some(at) if at >= body.len() => {
                stream.write_all(head("416 Range Not Satisfiable", 0, "").as_bytes())
            }
            Some(at) => {
                let extra = format!(
                    "Content-Range: bytes {at}-{}/{}\r\n",
                    body.len() - 1,
                    body.len()
                );
                let _ = stream
                    .write_all(head("206 Partial Content", body.len() - at, &extra).as_bytes());
                stream.write_all(&body[at..])
            }
            None => {
                let _ = stream.write_all(head("200 OK", body.len(), "").as_bytes());
                stream.write_all(&body)
            }
        },
        Some(Reply::Slow(body, wait)) => {
            let _ = stream.write_all(head("200 OK", body.len(), "").as_bytes());
            let _ = stream.flush();
            std::thread::sleep(wait);
            stream.write_all(&body)
        }
        Some(Reply::Truncated(body, sent)) => {
            let _ = stream.write_all(head("200 OK", body.len(), "").as_bytes());
            stream.write_all(&body[..sent])
        }
    };
    let _ = stream.flush();
}
