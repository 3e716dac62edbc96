-- +goose Up
-- The web origins whose pages may call the API with a project's key or tokens (CORS), in the form
-- browsers send in the Origin header; newline-separated, like redirect_uris.
ALTER TABLE projects ADD COLUMN origins TEXT NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE projects DROP COLUMN origins;
