-- How the person likes the notes page: a list (one column) or a grid. Kept with the account so that it
-- follows the person to every device.

-- CreateEnum
CREATE TYPE "notes_layout" AS ENUM ('list', 'grid');

-- AlterTable
ALTER TABLE "users" ADD COLUMN "notes_layout" "notes_layout" NOT NULL DEFAULT 'list';
