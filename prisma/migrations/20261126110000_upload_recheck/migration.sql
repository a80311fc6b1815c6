-- CreateTable
CREATE TABLE "upload_rechecks" (
    "key" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,

    CONSTRAINT "upload_rechecks_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "upload_rechecks_due_at_idx" ON "upload_rechecks"("due_at");
