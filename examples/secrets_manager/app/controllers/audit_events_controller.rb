# frozen_string_literal: true

# GitLab's audit event REST API (GET /api/v4/projects/:id/audit_events,
# GET /api/v4/groups/:id/audit_events) over the `audit_events` table, newest
# first. GitLab exposes these events through REST only (no GraphQL field
# lists them). Maintainers and Owners of the project or group may read
# them. Read events, which GitLab streams but does not keep, appear only
# with `include_streamed=true`; `raw=true` adds the OpenBao entry.
class AuditEventsController < ApplicationController
  PER_PAGE = 20
  MAX_PER_PAGE = 100

  def project = index(Project.find_by(id: params[:id].to_i))

  def group = index(Group.find_by(id: params[:id].to_i))

  private

  def index(entity)
    return render(json: { message: "401 Unauthorized" }, status: :unauthorized) unless current_user
    return render(json: { message: "404 Not found" }, status: :not_found) unless entity && reader?(entity)

    render json: events(entity).map { |e| e.as_api_json(raw: params[:raw] == "true") }
  end

  def events(entity)
    scope = AuditEvent.where(entity_type: entity.class.name, entity_id: entity.id)
    scope = scope.kept unless params[:include_streamed] == "true"
    scope = scope.where(event_name: params[:event_name].to_s) if params[:event_name].present?
    per_page = params.fetch(:per_page, PER_PAGE).to_i.clamp(1, MAX_PER_PAGE)
    page = [params.fetch(:page, 1).to_i, 1].max
    scope.includes(:author, :entity).order(created_at: :desc, id: :desc).offset((page - 1) * per_page).limit(per_page)
  end

  def reader?(entity)
    !current_user.blocked &&
      Authz.rbac.max_access_level(current_user.id, entity.full_path).to_i >= Membership::MAINTAINER
  end
end
