"""Pydantic schemas (pydantic 1, as FastAPI 0.92 uses)."""
from datetime import datetime
from typing import Optional

from pydantic import BaseModel, Field


class UserCreate(BaseModel):
    email: str
    password: str = Field(min_length=8)
    name: Optional[str] = None


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"


class NoteCreate(BaseModel):
    title: str = Field(min_length=1, max_length=200)
    description: str = ""


class TitleUpdate(BaseModel):
    title: str = Field(min_length=1, max_length=200)


class NoteOut(BaseModel):
    id: int
    title: str
    description: str
    file_url: Optional[str] = None
    file_name: Optional[str] = None
    file_size: Optional[int] = None
    content_type: Optional[str] = None
    created_at: datetime
    updated_at: datetime

    class Config:
        orm_mode = True
