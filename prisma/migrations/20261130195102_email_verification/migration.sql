-- CreateEnum
CREATE TYPE "EmailCodePurpose" AS ENUM ('VERIFY', 'CHANGE');

-- CreateTable
CREATE TABLE "email_codes" (
    "user_id" UUID NOT NULL,
    "purpose" "EmailCodePurpose" NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "email_key" VARCHAR(255) NOT NULL,
    "code_hash" CHAR(64) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "email_codes_pkey" PRIMARY KEY ("user_id","purpose")
);

-- CreateTable
CREATE TABLE "email_change_reverts" (
    "id" UUID NOT NULL,
    "user_id" UUID NOT NULL,
    "token_hash" CHAR(64) NOT NULL,
    "email" VARCHAR(255) NOT NULL,
    "email_key" VARCHAR(255) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "email_change_reverts_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "email_codes_expires_at_idx" ON "email_codes"("expires_at");

-- CreateIndex
CREATE UNIQUE INDEX "email_change_reverts_token_hash_key" ON "email_change_reverts"("token_hash");

-- CreateIndex
CREATE INDEX "email_change_reverts_user_id_idx" ON "email_change_reverts"("user_id");

-- CreateIndex
CREATE INDEX "email_change_reverts_expires_at_idx" ON "email_change_reverts"("expires_at");

-- AddForeignKey
ALTER TABLE "email_codes" ADD CONSTRAINT "email_codes_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "email_change_reverts" ADD CONSTRAINT "email_change_reverts_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "users"("id") ON DELETE CASCADE ON UPDATE CASCADE;
