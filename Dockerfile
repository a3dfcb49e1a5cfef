# dondoc: one binary. mattn/go-sqlite3 needs cgo, so the build stage has gcc
# and the runtime image has the C library it links against.
FROM golang:1.26-bookworm AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN go mod download
COPY . .
RUN CGO_ENABLED=1 go build -trimpath -ldflags "-s -w" -o /out/dondoc ./cmd/dondoc

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates tzdata && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /var/lib/dondoc --create-home dondoc
COPY --from=build /out/dondoc /usr/local/bin/dondoc
USER dondoc
WORKDIR /var/lib/dondoc
ENV DONDOC_ADDR=0.0.0.0:8080 DONDOC_DATA_DIR=/var/lib/dondoc
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=5s CMD ["dondoc", "health", "--url", "http://127.0.0.1:8080/readyz"]
ENTRYPOINT ["dondoc"]
CMD ["serve"]
