"""S3 with boto3: presigned download URLs for notes' files."""
import boto3
from botocore.config import Config

from . import config

client = boto3.client(
    "s3",
    region_name=config.AWS_REGION,
    endpoint_url=config.S3_ENDPOINT,
    config=Config(signature_version="s3v4", s3={"addressing_style": "path"}),
)


def file_url(key):
    if not key:
        return None
    return client.generate_presigned_url(
        "get_object", Params={"Bucket": config.BUCKET_NAME, "Key": key}, ExpiresIn=900
    )
