import http from "node:http";
import { EnvHttpProxyAgent } from "undici";
let seen = [];
const target = http.createServer((req, res) => { res.end("hello " + req.url); }).listen(0, "127.0.0.1");
await new Promise(r => target.on("listening", r));
const proxy = http.createServer((req, res) => {
  seen.push(req.method + " " + req.url);
  const u = new URL(req.url);
  const up = http.request({ host: u.hostname, port: u.port, path: u.pathname + u.search, method: req.method, headers: req.headers }, (r) => { res.writeHead(r.statusCode, r.headers); r.pipe(res); });
  req.pipe(up);
}).listen(0, "127.0.0.1");
await new Promise(r => proxy.on("listening", r));
process.env.HTTP_PROXY = `http://127.0.0.1:${proxy.address().port}`;
const agent = new EnvHttpProxyAgent();
const res = await fetch(`http://127.0.0.1:${target.address().port}/x`, { dispatcher: agent });
console.log(res.status, await res.text(), seen, res instanceof Response);
target.close(); proxy.close(); await agent.close();
