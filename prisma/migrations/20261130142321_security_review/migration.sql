-- CreateEnum
CREATE TYPE "Role" AS ENUM ('USER', 'ADMIN');

-- AlterTable
ALTER TABLE "password_reset_codes" ADD COLUMN     "token_hash" CHAR(64);

-- AlterTable
ALTER TABLE "users" ADD COLUMN     "credential_version" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "name_skeleton" VARCHAR(400),
ADD COLUMN     "role" "Role" NOT NULL DEFAULT 'USER';

-- CreateIndex
CREATE UNIQUE INDEX "users_name_skeleton_key" ON "users"("name_skeleton");
