use infraval_api::convertibles::{
    DilutionRequest, DilutionResponse, TermsRequest, TermsResponse, YieldRequest, YieldResponse,
};

use crate::{Client, ClientError};

impl Client {
    /// `POST /v1/convertibles/terms`: the full terms of a convertible issue.
    pub async fn convertible_terms(
        &self,
        request: &TermsRequest,
    ) -> Result<TermsResponse, ClientError> {
        self.post("v1/convertibles/terms", request).await
    }

    /// `POST /v1/convertibles/dilution`: shares issued and diluted share
    /// counts across share prices.
    pub async fn convertible_dilution(
        &self,
        request: &DilutionRequest,
    ) -> Result<DilutionResponse, ClientError> {
        self.post("v1/convertibles/dilution", request).await
    }

    /// `POST /v1/convertibles/yield`: yield to maturity, current yield and
    /// the accreted value schedule.
    pub async fn convertible_yield(
        &self,
        request: &YieldRequest,
    ) -> Result<YieldResponse, ClientError> {
        self.post("v1/convertibles/yield", request).await
    }
}
