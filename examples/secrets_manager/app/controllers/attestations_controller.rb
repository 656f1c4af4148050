# frozen_string_literal: true

# GitLab's Attestations API (API::SupplyChain::Attestations): list a
# project's attestations of an artifact by its SHA-256, download one by
# iid, and (beyond GitLab's REST API) upload a Sigstore bundle, verified on
# arrival. `:id` is the project's ID or URL-encoded full path. A project the
# user may not read is a 404, as GitLab hides its existence.
class AttestationsController < ApplicationController
  PER_PAGE = 20
  MAX_PER_PAGE = 100

  before_action :project!

  def index
    return render(json: { "error" => "404 Not Found" }, status: :not_found) unless
      Attestations::DIGEST_FORMAT.match?(params[:subject_digest].to_s)

    scope = SupplyChain::Attestation.for_project(@project.id).with_digest(params[:subject_digest]).order(:id)
    render json: paginate(scope).map { |a| present(a) }
  end

  def download
    attestation = SupplyChain::Attestation.for_project(@project.id).find_by(iid: params[:attestation_iid].to_i)
    return render(json: { "message" => "404 Not found" }, status: :not_found) unless attestation&.file

    render plain: attestation.file, content_type: "text/json"
  end

  def create
    return render(json: { "message" => "403 Forbidden" }, status: :forbidden) unless
      Authz.developer?(current_user, @project)

    result = Attestations::BundleUpload.new(@project).execute(bundle_text, params[:subject_digest])
    return render(json: { "message" => result.message }, status: result.status) unless result.attestation

    render json: present(result.attestation), status: :created
  end

  # GET /-/attestations/keys: the platform's public DSSE key.
  def keys
    render json: Attestations::PlatformKey.published
  end

  private

  def project!
    return if action_name == "keys"

    id = params[:id].to_s
    @project = id.match?(/\A\d+\z/) ? Project.find_by(id:) : Project.find_by(full_path: id)
    return if Attestations.readable?(current_user, @project)

    render json: { "message" => "404 Project Not Found" }, status: :not_found
  end

  # The bundle as JSON text: a `bundle` parameter (text or object) or the
  # whole request body.
  def bundle_text
    bundle = params[:bundle]
    return JSON.generate(bundle.to_unsafe_h) if bundle.respond_to?(:to_unsafe_h)

    bundle.is_a?(String) ? bundle : request.raw_post
  end

  def paginate(scope)
    per_page = params[:per_page].to_i.clamp(1, MAX_PER_PAGE)
    per_page = PER_PAGE if params[:per_page].blank?
    page = [params[:page].to_i, 1].max
    total = scope.count
    response.headers.merge!("X-Page" => page.to_s, "X-Per-Page" => per_page.to_s, "X-Total" => total.to_s,
                            "X-Total-Pages" => [(total + per_page - 1) / per_page, 1].max.to_s)
    scope.offset((page - 1) * per_page).limit(per_page)
  end

  def present(attestation)
    {
      "id" => attestation.id, "iid" => attestation.iid, "created_at" => time(attestation.created_at),
      "updated_at" => time(attestation.updated_at), "expire_at" => time(attestation.expire_at),
      "project_id" => attestation.project_id, "build_id" => attestation.build_id, "status" => attestation.status,
      "predicate_kind" => attestation.predicate_kind, "predicate_type" => attestation.predicate_type,
      "subject_digest" => attestation.subject_digest, "download_url" => Attestations.download_url(attestation)
    }
  end

  def time(value) = value&.utc&.iso8601(3)
end
