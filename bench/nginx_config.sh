# Sourced by the benchmark scripts: nginx as the HTTP ceiling, answering
# every request with a fixed JSON body, configured entirely under one
# temporary directory (never the system configuration).

# write_nginx_config DIR PORT WORKERS BODY: writes DIR/nginx.conf.
write_nginx_config() {
  local dir=$1 port=$2 workers=$3 body=$4
  mkdir -p "$dir/logs"
  cat >"$dir/nginx.conf" <<CONF
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 60s;
  client_body_temp_path $dir/body;
  proxy_temp_path $dir/proxy;
  fastcgi_temp_path $dir/fastcgi;
  uwsgi_temp_path $dir/uwsgi;
  scgi_temp_path $dir/scgi;
  server {
    listen 127.0.0.1:$port;
    location / {
      default_type application/json;
      return 201 '$body';
    }
  }
}
CONF
}
