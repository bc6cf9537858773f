# Production image of the BDVO portal: gunicorn + WhiteNoise; the same image runs the Celery worker.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=bdvo_portal.settings
WORKDIR /app

RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/* \
    && useradd --system --create-home --uid 1000 bdvo
COPY requirements.txt .
RUN pip install -r requirements.txt
COPY . .
# collectstatic needs settings that pass production validation; the real values come at run time.
RUN DEBUG=false SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-xx ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput \
    && mkdir -p /app/media && chown -R bdvo:bdvo /app/media

USER bdvo
EXPOSE 8000
CMD ["gunicorn", "bdvo_portal.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
