"""The container files agree with each other and with the code: volumes, sources folder, user, health check, what
the build context leaves out. (hadolint lints the Dockerfile in .ci/run; building it needs a container engine, see
docs/deploying.md for what was run.)"""

from __future__ import annotations

import re
import shlex

import yaml

from tests.conftest import REPO


def instructions() -> list[tuple[str, str]]:
    """The Dockerfile's instructions as (KEYWORD, arguments), continuation lines joined, comments dropped."""
    text = (REPO / "Dockerfile").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.lstrip().startswith("#")]
    joined = re.sub(r"\\\n", " ", "\n".join(lines))
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in joined.splitlines() if line.strip()]


def final_stage() -> list[tuple[str, str]]:
    steps = instructions()
    last_from = max(i for i, (keyword, _) in enumerate(steps) if keyword == "FROM")
    return steps[last_from:]


def test_the_image_runs_as_a_user_with_a_health_check_and_the_two_volumes():
    """Final stage: a numeric non-root USER, a HEALTHCHECK running `qabot doctor`, SEEDS_DIR inside a VOLUME, and a
    data volume that is the working folder's data/ (where the store's default path points) holding LIBRARIES_DIR."""
    stage = final_stage()
    (user,) = [args for keyword, args in stage if keyword == "USER"]
    assert user.split(":")[0].isdigit() and user.split(":")[0] != "0"
    (health,) = [args for keyword, args in stage if keyword == "HEALTHCHECK"]
    assert health.endswith('CMD ["qabot", "doctor"]')
    (volumes,) = [yaml.safe_load(args) for keyword, args in stage if keyword == "VOLUME"]
    env = dict(pair.split("=", 1) for keyword, args in stage if keyword == "ENV" for pair in shlex.split(args))
    (workdir,) = [args for keyword, args in stage if keyword == "WORKDIR"]
    assert env["SEEDS_DIR"] in volumes and f"{workdir}/data" in volumes
    assert env["LIBRARIES_DIR"].startswith(f"{workdir}/data/")  # /source add writes there: it must persist
    assert [args for keyword, args in stage if keyword == "CMD"] == ['["run"]']


def test_compose_mounts_the_image_volumes_and_reads_dotenv():
    """compose.yaml mounts exactly the Dockerfile's volumes, the sources read-only, takes settings from .env, and
    keeps SEEDS_DIR pointing at the mounted folder whatever .env says."""
    (volumes,) = [yaml.safe_load(args) for keyword, args in final_stage() if keyword == "VOLUME"]
    service = yaml.safe_load((REPO / "compose.yaml").read_text(encoding="utf-8"))["services"]["qabot"]
    mounts = {entry.split(":")[1]: entry.split(":")[2:] for entry in service["volumes"]}
    assert sorted(mounts) == sorted(volumes)
    assert mounts["/srv/qabot/sources"] == ["ro"]
    assert service["env_file"] == ".env" and service["restart"] == "unless-stopped"
    assert service["environment"]["SEEDS_DIR"] == "/srv/qabot/sources"  # .env's host paths must not win
    assert service["environment"]["LIBRARIES_DIR"] == "/srv/qabot/data/libraries"


def test_the_build_context_leaves_out_secrets_and_copies_only_what_exists():
    """.dockerignore keeps .env and .git out; every COPY source from the context exists in the repository."""
    ignored = (REPO / ".dockerignore").read_text(encoding="utf-8").splitlines()
    assert ".env" in ignored and ".git" in ignored and ".venv" in ignored
    for keyword, args in instructions():
        if keyword == "COPY" and "--from=" not in args:
            for source in [word for word in args.split() if not word.startswith("--")][:-1]:
                assert (REPO / source).exists(), source
