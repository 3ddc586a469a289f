# syntax=docker/dockerfile:1
# ExplainApi container image. Untested here (no Docker engine on the build machines): written to be
# correct by reading. CPU by default; `--build-arg ACCELERATOR=cuda` builds the GPU variant.
#
#   docker build -t explainapi .
#   docker build -t explainapi:cuda --build-arg ACCELERATOR=cuda \
#     --build-arg RUNTIME_BASE=nvidia/cuda:12.8.1-cudnn-runtime-ubuntu24.04 .
#
# Debian 13 (trixie) bases: .NET 10 ships no Debian 12 images, and trixie's libstdc++ already has
# GLIBCXX_3.4.32, so the build's libLibTorchSharp.so patch detects that it is not needed.

ARG ACCELERATOR=cpu
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-trixie
ARG RUNTIME_BASE=mcr.microsoft.com/dotnet/aspnet:10.0-trixie-slim

FROM ${SDK_IMAGE} AS build
ARG ACCELERATOR
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgdcm-cil \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ExplainApi.sln ./
COPY build/ build/
COPY src/ src/
RUN dotnet publish src/ExplainApi.Host -c Release -p:Accelerator=${ACCELERATOR} -o /app

FROM ${RUNTIME_BASE} AS runtime
ARG ACCELERATOR
# On a CUDA base without .NET, install the ASP.NET Core runtime first (see README, "GPU build").
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgdcm-cil mricron-data curl ca-certificates \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 explainapi \
 && useradd --system --uid 10001 --gid explainapi --home-dir /var/lib/explainapi --create-home explainapi \
 && mkdir -p /var/lib/explainapi/data && chown -R explainapi:explainapi /var/lib/explainapi
WORKDIR /app
COPY --from=build /app ./
COPY deploy/appsettings.Production.json ./appsettings.Production.json
# Memory: Server GC with DATAS (the .NET 10 default) sizes its heaps to the load; the GC reads the container's cgroup
# limit and keeps its heap under 75 % of it. Run with a limit of at least 3 GiB (docker run -m 3g; docker-compose.yml sets it): 16
# concurrent 4096² renders peak near 2.3 GB RSS (docs/memory.md), and under a 2 GB heap the excess answers 503, not
# 500. DOTNET_GCHeapHardLimit (e.g. 0x80000000) caps the heap explicitly when no cgroup limit is set. The service's
# MemoryRelief returns a burst's memory once idle (ExplainApi:Memory); Workstation GC measured no better.
ENV ASPNETCORE_ENVIRONMENT=Production \
    ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ExplainApi__DataDirectory=/var/lib/explainapi/data \
    DOTNET_gcServer=1
USER explainapi
EXPOSE 8080
VOLUME ["/var/lib/explainapi/data"]
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz/live || exit 1
ENTRYPOINT ["dotnet", "ExplainApi.Host.dll"]
