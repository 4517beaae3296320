# orderd's container image: built with the same ./dev steps as on a Debian
# 12 machine, then the Debian package installed into a slim runtime image.
#
#   docker build -t orderd .
#   docker run -p 127.0.0.1:5000:5000 -v orderd-data:/var/lib/orderd \
#     -e ORDERD_AUTH=jwt -e ORDERD_JWT_SECRET_FILE=/run/secrets/jwt-secret \
#     -v "$PWD/jwt-secret:/run/secrets/jwt-secret:ro" orderd
#
# The image listens on all of the container's addresses, so orderd refuses
# to start until authentication is configured (ORDERD_AUTH=jwt with a secret
# or public key), or ORDERD_ALLOW_UNAUTHENTICATED=true accepts the risk.

FROM debian:12 AS build
WORKDIR /src
COPY . .
# ./dev installs the Debian packages it needs, builds Release and the package.
RUN ./dev package && cp build/release/package/orderd_*.deb /orderd.deb

FROM debian:12-slim
COPY --from=build /orderd.deb /tmp/orderd.deb
# apt resolves the package's Depends:; curl is for the health check.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
      /tmp/orderd.deb curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* /tmp/orderd.deb
ENV ORDERD_DATA_DIR=/var/lib/orderd \
    ORDERD_BIND=0.0.0.0 \
    ORDERD_PORT=5000
VOLUME /var/lib/orderd
EXPOSE 5000
# The package created the orderd system user and /var/lib/orderd (0700).
USER orderd
HEALTHCHECK --interval=10s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:5000/health/ready >/dev/null || exit 1
STOPSIGNAL SIGTERM
ENTRYPOINT ["/usr/bin/orderd"]
