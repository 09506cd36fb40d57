# workspaces-local in a container: the static binary on an empty (scratch)
# image, run as a non-root user (65532).
#
#   docker build -t workspaces-local .
#   docker run --rm -p 127.0.0.1:4599:4599 -e WORKSPACES_LOCAL_ADMIN_TOKEN=secret workspaces-local                       # state in the /data volume
#   docker run --rm -p 127.0.0.1:4599:4599 -e WORKSPACES_LOCAL_ADMIN_TOKEN=secret -v wsl-data:/data workspaces-local     # ... kept in a named volume
#   docker run --rm -p 127.0.0.1:4599:4599 -e WORKSPACES_LOCAL_ADMIN_TOKEN=secret workspaces-local serve --in-memory     # nothing kept
#
# Inside the container the server listens on 0.0.0.0:4599 (WORKSPACES_LOCAL_ADDR),
# not a loopback address, so it starts only with an admin token
# (WORKSPACES_LOCAL_ADMIN_TOKEN or --admin-token; /_local/ calls but health and
# the dashboard page then need "Authorization: Bearer TOKEN"). Publish the port on the host's loopback
# only (-p 127.0.0.1:4599:4599) unless other machines should reach it. Every
# serve flag has a WORKSPACES_LOCAL_* variable (docker run -e WORKSPACES_LOCAL_ADMIN_TOKEN=secret -e WORKSPACES_LOCAL_DELAYS=zero ...).
FROM golang:1.26 AS build
ARG VERSION=0.0.0-docker
ARG COMMIT=unknown
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=0 go build -trimpath \
      -ldflags "-s -w -X github.com/workspaces-local/workspaces-local/internal/app.Version=${VERSION} -X github.com/workspaces-local/workspaces-local/internal/app.Commit=${COMMIT}" \
      -o /out/workspaces-local ./cmd/workspaces-local \
 && mkdir -p /out/data /out/tmp && chown 65532:65532 /out/data && chmod 1777 /out/tmp

FROM scratch
COPY --from=build /out/workspaces-local /workspaces-local
COPY --from=build --chown=65532:65532 /out/data /data
COPY --from=build /out/tmp /tmp
USER 65532:65532
ENV WORKSPACES_LOCAL_ADDR=0.0.0.0:4599 \
    WORKSPACES_LOCAL_DATA_DIR=/data \
    HOME=/data
EXPOSE 4599
VOLUME ["/data"]
ENTRYPOINT ["/workspaces-local"]
CMD ["serve"]
