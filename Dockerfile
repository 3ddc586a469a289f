# syntax=docker/dockerfile:1
# ExplainApi container image. Untested here (no Docker engine on the build machines): written to be
# correct by reading. CPU by default; `--build-arg ACCELERATOR=cuda` builds the GPU variant on CUDA_BASE.
#
#   docker build -t explainapi .
#   docker build -t explainapi:cuda --build-arg ACCELERATOR=cuda .
#   docker run --gpus all ... explainapi:cuda      (needs the NVIDIA Container Toolkit and a driver for CUDA 13)
#
# Debian 13 (trixie) bases: .NET 10 ships no Debian 12 images, and trixie's libstdc++ already has
# GLIBCXX_3.4.32, so the build's libLibTorchSharp.so patch detects that it is not needed.

ARG ACCELERATOR=cpu
ARG SDK_IMAGE=mcr.microsoft.com/dotnet/sdk:10.0-trixie
ARG RUNTIME_BASE=mcr.microsoft.com/dotnet/aspnet:10.0-trixie-slim
# Microsoft.ML.OnnxRuntime.Gpu.Linux 1.32.0 links libcudart/libcublas/libcublasLt .so.13 and dlopens libcudnn.so.9:
# any CUDA 13.x runtime image with cuDNN 9 fits. Ubuntu 24.04 so the ASP.NET Core runtime can come from the noble image.
ARG CUDA_BASE=nvidia/cuda:13.0.1-cudnn-runtime-ubuntu24.04
ARG ASPNET_NOBLE=mcr.microsoft.com/dotnet/aspnet:10.0-noble

FROM ${SDK_IMAGE} AS build
ARG ACCELERATOR
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends libgdcm-cil \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY global.json Directory.Build.props Directory.Build.targets Directory.Packages.props ExplainApi.sln ./
COPY build/ build/
COPY src/ src/
# ReadyToRun: a fresh replica serves its first requests from precompiled code instead of tier-0 JIT (measured on the
# build machine with the same publish: readiness 2.1–2.8 s instead of 3.1–3.8 s, first 112² Grad-CAM 0.12–0.14 s instead
# of 0.23–0.30 s; steady state unchanged, as tiering still recompiles the hot methods).
RUN dotnet publish src/ExplainApi.Host -c Release -p:Accelerator=${ACCELERATOR} -p:PublishReadyToRun=true -o /app

FROM ${RUNTIME_BASE} AS runtime-cpu

FROM ${ASPNET_NOBLE} AS aspnet-noble

# The CUDA images carry no .NET: the ASP.NET Core runtime is copied from Microsoft's image for the same Ubuntu release.
# BuildKit builds only the stages the target needs, so a CPU build never pulls the CUDA image.
FROM ${CUDA_BASE} AS runtime-cuda
COPY --from=aspnet-noble /usr/share/dotnet /usr/share/dotnet
RUN ln -s /usr/share/dotnet/dotnet /usr/bin/dotnet
# The CUDA provider is tried first; without a GPU (docker run without --gpus) the service says why and serves on CPU.
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility

FROM runtime-${ACCELERATOR} AS runtime
ARG ACCELERATOR
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
