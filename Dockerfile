# ikimina: one image for web, worker, scheduler and the one-off migration (see compose.yaml).
# Slim, non-root, the compiled catalogues (.mo) inside.
FROM python:3.11-slim AS build
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
WORKDIR /src
COPY pyproject.toml README.md babel.cfg ./
COPY ikimina ikimina
COPY runtime runtime
COPY models models
COPY services services
COPY ussd ussd
COPY sms sms
COPY menus menus
COPY locales locales
COPY worker worker
COPY console console
COPY spreadsheets spreadsheets
COPY tools tools
# The .mo catalogues are committed and shipped as package data; the check fails the build
# when one is missing from what is installed.
RUN pip install --no-cache-dir --prefix=/install . \
 && test "$(find /install -name '*.mo' | wc -l)" -ge 21

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    TZ=Africa/Kigali \
    PROMETHEUS_MULTIPROC_DIR=/tmp/ikimina-metrics
COPY --from=build /install /usr/local
RUN useradd --system --uid 10001 --home-dir /app --create-home ikimina
WORKDIR /app
USER 10001
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["ikimina", "serve", "--bind", "0.0.0.0:8000", "--workers", "2"]
