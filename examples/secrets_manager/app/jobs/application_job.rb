# frozen_string_literal: true

class ApplicationJob < ActiveJob::Base
  # A record deleted before its job ran has nothing left to do.
  discard_on ActiveJob::DeserializationError
end
