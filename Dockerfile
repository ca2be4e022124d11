# qabot in a container: `docker build -t qabot .`, then see docs/deploying.md (or `docker compose up -d`).
# The sources folder and the data folder (the bot's own files: its store, the servers' libraries) are volumes; the
# token comes from the environment (DISCORD_TOKEN), never from the image.

# Any Debian-based image with Python 3.11+ works; tests build on a local one with --build-arg PYTHON_IMAGE=...
ARG PYTHON_IMAGE=python:3.12-slim-bookworm

FROM ${PYTHON_IMAGE} AS build
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot/ bot/
COPY retrieval/ retrieval/
RUN python3 -m venv /opt/qabot && /opt/qabot/bin/pip install --no-cache-dir .

FROM ${PYTHON_IMAGE}
# One BLAS/OpenMP thread: the engine runs beside the bot's event loop (see README, "thread pools").
ENV PATH=/opt/qabot/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    OMP_NUM_THREADS=1 \
    OPENBLAS_NUM_THREADS=1 \
    SEEDS_DIR=/srv/qabot/sources \
    LIBRARIES_DIR=/srv/qabot/data/libraries
# WordNet 3.0 (Debian's wordnet-base) relates a question word the sources lack to words they have.
RUN apt-get update \
    && apt-get install -y --no-install-recommends wordnet-base=1:3.0-37 \
    && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --user-group --home-dir /srv/qabot --create-home --shell /usr/sbin/nologin qabot \
    && mkdir /srv/qabot/data /srv/qabot/.qabot-cache \
    && chown qabot:qabot /srv/qabot/data /srv/qabot/.qabot-cache
COPY --from=build /opt/qabot /opt/qabot
# The seed article, so a new named volume starts with it; a bind mount (compose.yaml) replaces it.
COPY --chown=qabot:qabot seeds/ /srv/qabot/sources/
USER 10001:10001
WORKDIR /srv/qabot
# .qabot-cache: the shared library's index snapshot (beside its folder), so a restart need not rebuild it.
VOLUME ["/srv/qabot/sources", "/srv/qabot/data", "/srv/qabot/.qabot-cache"]
# `qabot doctor` exits 1 when `qabot run` would fail (no token, bad settings, unwritable store); it reads the
# settings and the sources folder, it does not contact Discord.
HEALTHCHECK --interval=5m --timeout=60s --start-period=30s --retries=2 CMD ["qabot", "doctor"]
ENTRYPOINT ["qabot"]
CMD ["run"]
