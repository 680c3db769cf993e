# Production image of hruf. The same image runs the web server (gunicorn, the default
# command; whitenoise serves /static/), the Celery worker and beat: see docker-compose.yml.
FROM python:3.11-slim

# PYTHONPATH: every process imports the code from /app, whatever its working directory,
# never the copy that `pip install .` also puts in site-packages: the settings find
# templates/, static/ and staticfiles/ beside the packages (BASE_DIR).
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_ROOT_USER_ACTION=ignore \
    PYTHONPATH=/app

# A real home: gunicorn (25.1+) puts its control socket under $HOME/.gunicorn.
RUN groupadd --system hruf \
    && useradd --system --gid hruf --create-home --home-dir /home/hruf --shell /usr/sbin/nologin hruf

# WeasyPrint (PDF briefing packs) draws text with Pango and needs fonts for every language it writes
# (Noto for Arabic and Chinese; DejaVu for the rest); evidence files
# are typed from their content by libmagic. Backups
# (hruf/backups.py) need GnuPG and the client of the server's PostgreSQL (16, from the PostgreSQL
# project's own repository: a pg_dump older than the server refuses to dump it).
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core fonts-noto-core \
       fonts-noto-cjk libmagic1 \
       gnupg curl ca-certificates \
    && install -d /usr/share/postgresql-common/pgdg \
    && curl --fail -o /usr/share/postgresql-common/pgdg/apt.postgresql.org.asc \
       https://www.postgresql.org/media/keys/ACCC4CF8.asc \
    && echo "deb [signed-by=/usr/share/postgresql-common/pgdg/apt.postgresql.org.asc] https://apt.postgresql.org/pub/repos/apt $(. /etc/os-release && echo "$VERSION_CODENAME")-pgdg main" \
       > /etc/apt/sources.list.d/pgdg.list \
    && apt-get update \
    && apt-get install -y --no-install-recommends postgresql-client-16 \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY . .

# Dependencies come from the production lock, hashes checked (psycopg2-binary: no libpq or
# compiler needed); then the project itself, which adds nothing.
RUN pip install --require-hashes -r requirements/prod.txt \
    && pip install --no-deps . && rm -rf build ./*.egg-info

# Static files are collected into the image. This reads no database or broker; SECRET_KEY
# and HRUF_VAR_DIR keep the settings from writing a key or broker folders into the image.
# ./var is where the settings mkdir at start-up, so the app user must own it.
RUN SECRET_KEY=build-only HRUF_VAR_DIR=/tmp/build-var python manage.py collectstatic --noinput \
    && rm -rf /tmp/build-var \
    && mkdir -p var \
    && chown hruf:hruf var

USER hruf
EXPOSE 8000
CMD ["gunicorn", "hruf.wsgi", "--bind", "0.0.0.0:8000", "--workers", "2", \
     "--worker-tmp-dir", "/dev/shm", "--access-logfile", "-"]
