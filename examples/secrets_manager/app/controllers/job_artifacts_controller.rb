# frozen_string_literal: true

require "digest"

# The runner's side of finishing a job, authenticated with the runner token
# of the runner that holds the running job: `create` is
# POST /api/v4/jobs/:id/artifacts (multipart `file`, optional `name`),
# `finish` is PUT /api/v4/jobs/:id with `state` success or failed. A
# successful job asked to attest its artifacts is attested then.
class JobArtifactsController < ApplicationController
  before_action :running_build!

  def create
    bytes, name = received_file
    return message(400, "file is missing") if bytes.empty?
    return message(400, "name is invalid") unless name.match?(/\A[^\x00-\x1f]{1,255}\z/)
    return message(413, "413 Request Entity Too Large") if bytes.bytesize > PipelineGuard::SLSA::MAX_ARTIFACT_BYTES
    return message(409, "an artifact named #{name} already exists") if @build.job_artifacts.exists?(name:)

    artifact = @build.job_artifacts.create!(project_id: @build.project_id, name:, size: bytes.bytesize,
                                            sha256: Digest::SHA256.hexdigest(bytes), file: bytes)
    render json: { "id" => artifact.id, "name" => name, "size" => artifact.size, "sha256" => artifact.sha256 },
           status: :created
  end

  def finish
    state = params[:state].to_s
    return message(400, "state must be success or failed") unless %w[success failed].include?(state)

    # The job was last changed when the runner took it.
    @build.update!(status: state, started_at: @build.started_at || @build.updated_at, finished_at: Time.now.utc)
    attestations = Attestations::BuildProvenance.new(@build).execute
    render json: { "id" => @build.id, "status" => @build.status,
                   "attestations" => attestations.map { |a| { "iid" => a.iid, "subject_digest" => a.subject_digest } } }
  end

  private

  # The uploaded bytes and the artifact's name (`name`, else the file name).
  def received_file
    upload = params[:file]
    bytes = upload.respond_to?(:read) ? upload.read.to_s.b : upload.to_s.b
    name = params[:name].presence || (upload.respond_to?(:original_filename) && upload.original_filename)
    [bytes, name.to_s]
  end

  def running_build!
    runner = Ci::Runner.find_by_token(params[:token].to_s)
    return message(403, "403 Forbidden") unless runner

    @build = Ci::Build.find_by(id: params[:id].to_i, runner_id: runner.id)
    return message(404, "404 Not Found") unless @build

    message(403, "403 Forbidden - Job is not running") unless @build.status == "running"
  end

  def message(status, text) = render(json: { "message" => text }, status:)
end
