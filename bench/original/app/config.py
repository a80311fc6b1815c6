"""Environment loader: the variables of the original README (plus the S3 endpoint of a local S3 server)."""
import os


def _sqlalchemy_url(url: str) -> str:
    # The benchmark hands over a libpq URL (postgres://...); SQLAlchemy names its driver.
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg2://" + url[len(prefix):]
    return url


DATABASE_URL = _sqlalchemy_url(os.environ["DATABASE_URL"])
SECRET_KEY = os.environ["SECRET_KEY"]
ALGORITHM = os.environ.get("ALGORITHM", "HS256")
ACCESS_TOKEN_EXPIRE_MINUTES = int(os.environ.get("ACCESS_TOKEN_EXPIRE_MINUTES", "30"))
AWS_REGION = os.environ.get("AWS_REGION", "us-east-1")
BUCKET_NAME = os.environ["BUCKET_NAME"]
S3_ENDPOINT = os.environ.get("S3_ENDPOINT") or None
