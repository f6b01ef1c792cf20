-- AlterTable
ALTER TABLE "security_events" ADD COLUMN     "reason" VARCHAR(500);
